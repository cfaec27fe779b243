package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;

/**
 * The example workloads of tests and the sandbox: Deployments behind a plain Service each, and the
 * sandbox's full set with their traffic routes ({@link #installExamples}).
 */
public final class ExampleApps {

    public static final String NAMESPACE = "payments";
    public static final String NAME = "payment-gateway";
    public static final String IMAGE = "registry.example.com/payments/payment-gateway";
    public static final String CHATBOT_NAMESPACE = "support";
    public static final String CHATBOT = "chatbot";
    public static final String CHATBOT_IMAGE = "registry.example.com/support/chatbot";
    public static final String CHATBOT_HOST = "chatbot.example.com";

    private ExampleApps() {
    }

    public static Deployment deployment(String namespace, String name, String image, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .addNewContainer().withName("app").withImage(image)
                                .addNewPort().withContainerPort(8080).withName("http").endPort()
                                .withNewReadinessProbe().withNewHttpGet().withPath("/ready")
                                    .withNewPort("http").endHttpGet().endReadinessProbe()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    public static Service service(String namespace, String name) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name))
                    .addNewPort().withName("http").withPort(80).withNewTargetPort("http").endPort()
                .endSpec()
                .build();
    }

    /** Creates payments/payment-gateway (image {@code :v1}, 3 replicas) and its Service. */
    public static void installPaymentGateway(KubernetesClient client) {
        install(client, NAMESPACE, NAME, IMAGE + ":v1", 3);
    }

    /**
     * The sandbox's examples: payments/payment-gateway {@code :v1} (3 replicas) behind an Istio
     * VirtualService and DestinationRule, and support/chatbot {@code :v1} (2 replicas) behind a plain
     * Service and an NGINX Ingress.
     */
    public static void installExamples(KubernetesClient client) {
        installPaymentGateway(client);
        client.resource(ExampleRoutes.virtualService(NAMESPACE, NAME)).create();
        client.resource(ExampleRoutes.destinationRule(NAMESPACE, NAME)).create();
        install(client, CHATBOT_NAMESPACE, CHATBOT, CHATBOT_IMAGE + ":v1", 2);
        client.network().v1().ingresses().inNamespace(CHATBOT_NAMESPACE)
                .resource(ExampleRoutes.ingress(CHATBOT_NAMESPACE, CHATBOT, CHATBOT_HOST)).create();
    }

    /** Creates the Deployment and its Service, and their namespace unless it exists. */
    public static void install(KubernetesClient client, String namespace, String name, String image, int replicas) {
        createNamespace(client, namespace);
        client.apps().deployments().inNamespace(namespace).resource(deployment(namespace, name, image, replicas))
                .create();
        client.services().inNamespace(namespace).resource(service(namespace, name)).create();
    }

    private static void createNamespace(KubernetesClient client, String namespace) {
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}
