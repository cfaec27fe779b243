package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code deployments/<name>/scale} through fabric8's own scale support, which reads and writes a Scale. */
class ScaleSubresourceTest {

    private static SimulatedCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        client = cluster.client();
        ExampleApps.install(client, "scaling", "web", "registry.example.com/web:v1", 3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static RollableScalableResource<Deployment> web() {
        return client.apps().deployments().inNamespace("scaling").withName("web");
    }

    @Test
    void readsTheScaleOfADeployment() {
        Scale scale = web().scale();

        assertThat(scale.getKind()).isEqualTo("Scale");
        assertThat(scale.getApiVersion()).isEqualTo("autoscaling/v1");
        assertThat(scale.getMetadata().getName()).isEqualTo("web");
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");
        assertThat(scale.getSpec().getReplicas()).isEqualTo(web().get().getSpec().getReplicas());
    }

    @Test
    void scalingChangesTheStoredDeploymentWhichThenBecomesReady() {
        web().scale(4);

        assertThat(web().get().getSpec().getReplicas()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(web().get().getStatus().getReadyReplicas()).isEqualTo(4));
        assertThat(web().scale().getStatus().getReplicas()).isEqualTo(4);
    }

    @Test
    void aScaleOfAMissingDeploymentIsNotFound() {
        assertThatThrownBy(() -> client.apps().deployments().inNamespace("scaling").withName("nope").scale(2))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
}
