package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/** The example workloads of tests and the sandbox: a Deployment behind a plain Service. */
public final class ExampleApps {

    public static final String NAMESPACE = "payments";
    public static final String NAME = "payment-gateway";
    public static final String IMAGE = "registry.example.com/payments/payment-gateway";

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

    public static void install(KubernetesClient client, String namespace, String name, String image, int replicas) {
        client.apps().deployments().inNamespace(namespace).resource(deployment(namespace, name, image, replicas))
                .create();
        client.services().inNamespace(namespace).resource(service(namespace, name)).create();
    }
}
