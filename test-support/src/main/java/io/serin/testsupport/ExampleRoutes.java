package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;

import java.util.List;
import java.util.Map;

/**
 * The traffic routes in front of the example apps, as a team would have them before its first
 * release. Istio objects are generic so that test-support needs no Istio model on its classpath.
 */
public final class ExampleRoutes {

    public static final String ISTIO_API_VERSION = "networking.istio.io/v1";

    private ExampleRoutes() {
    }

    /**
     * VirtualService {@code name} for host {@code name}, one HTTP route named {@code primary} with all
     * traffic to the Service {@code name}; no subsets yet, since the pods carry no variant label before
     * the first release.
     */
    public static GenericKubernetesResource virtualService(String namespace, String name) {
        return istio("VirtualService", namespace, name, Map.of(
                "hosts", List.of(name),
                "http", List.of(Map.of("name", "primary",
                        "route", List.of(Map.of("destination", Map.of("host", name, "port", Map.of("number", 80))))))));
    }

    /** DestinationRule {@code name} for host {@code name}; Serin adds its stable and canary subsets. */
    public static GenericKubernetesResource destinationRule(String namespace, String name) {
        return istio("DestinationRule", namespace, name, Map.of("host", name));
    }

    /** An NGINX Ingress {@code name}: host {@code host}, every path to the Service {@code name}. */
    public static Ingress ingress(String namespace, String name, String host) {
        return new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withIngressClassName("nginx")
                    .addNewRule().withHost(host).withNewHttp()
                        .addNewPath().withPath("/").withPathType("Prefix")
                            .withNewBackend().withNewService().withName(name).withNewPort().withNumber(80).endPort()
                            .endService().endBackend()
                        .endPath()
                    .endHttp().endRule()
                .endSpec()
                .build();
    }

    private static GenericKubernetesResource istio(String kind, String namespace, String name,
            Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion(ISTIO_API_VERSION).withKind(kind)
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }
}
