package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The objects traffic depends on, read once per tick, so every router of a tick sees the same
 * cluster. Lists are sorted by namespace and name, which makes the routers' tie-breaks repeatable.
 */
public record ClusterView(List<Deployment> deployments, List<Service> services,
        List<GenericKubernetesResource> virtualServices, List<GenericKubernetesResource> destinationRules,
        List<HTTPRoute> httpRoutes, List<Ingress> ingresses) {

    public static final ResourceDefinitionContext VIRTUAL_SERVICES = istio("VirtualService", "virtualservices");
    public static final ResourceDefinitionContext DESTINATION_RULES = istio("DestinationRule", "destinationrules");

    public ClusterView {
        deployments = sorted(deployments);
        services = sorted(services);
        virtualServices = sorted(virtualServices);
        destinationRules = sorted(destinationRules);
        httpRoutes = sorted(httpRoutes);
        ingresses = sorted(ingresses);
    }

    /** Reads every namespace; a kind the cluster does not serve (no CRD) reads as none. */
    public static ClusterView read(KubernetesClient kube) {
        return new ClusterView(
                kube.apps().deployments().inAnyNamespace().list().getItems(),
                kube.services().inAnyNamespace().list().getItems(),
                optional(() -> kube.genericKubernetesResources(VIRTUAL_SERVICES).inAnyNamespace().list().getItems()),
                optional(() -> kube.genericKubernetesResources(DESTINATION_RULES).inAnyNamespace().list().getItems()),
                optional(() -> kube.resources(HTTPRoute.class).inAnyNamespace().list().getItems()),
                optional(() -> kube.network().v1().ingresses().inAnyNamespace().list().getItems()));
    }

    List<Deployment> deployments(String namespace) {
        return in(deployments, namespace);
    }

    List<Service> services(String namespace) {
        return in(services, namespace);
    }

    Service service(String namespace, String name) {
        return named(services, namespace, name);
    }

    Deployment deployment(String namespace, String name) {
        return named(deployments, namespace, name);
    }

    List<GenericKubernetesResource> virtualServices(String namespace) {
        return in(virtualServices, namespace);
    }

    List<GenericKubernetesResource> destinationRules(String namespace) {
        return in(destinationRules, namespace);
    }

    List<HTTPRoute> httpRoutes(String namespace) {
        return in(httpRoutes, namespace);
    }

    List<Ingress> ingresses(String namespace) {
        return in(ingresses, namespace);
    }

    private static <T extends HasMetadata> List<T> in(List<T> items, String namespace) {
        return items.stream().filter(i -> namespace.equals(i.getMetadata().getNamespace())).toList();
    }

    private static <T extends HasMetadata> T named(List<T> items, String namespace, String name) {
        return items.stream().filter(i -> namespace.equals(i.getMetadata().getNamespace())
                && name.equals(i.getMetadata().getName())).findFirst().orElse(null);
    }

    private static <T extends HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T i) -> String.valueOf(i.getMetadata().getNamespace()))
                .thenComparing(i -> i.getMetadata().getName())).toList();
    }

    private static <T> List<T> optional(Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private static ResourceDefinitionContext istio(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
}
