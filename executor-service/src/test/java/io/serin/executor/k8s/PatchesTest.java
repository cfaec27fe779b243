package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.serin.events.FailureReason;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.testsupport.SimulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-change-patch helper every route edit goes through. */
class PatchesTest {

    private static SimulatedCluster cluster;
    private static KubernetesClient kube;
    private static Patches patches;

    @BeforeAll
    static void start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        kube = cluster.client();
        patches = new Patches(kube, new KubeCalls(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Resource<ConfigMap> configMap(String name) {
        kube.configMaps().inNamespace("patches").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().addToData("theirs", "1").build()).create();
        return kube.configMaps().inNamespace("patches").withName(name);
    }

    @Test
    void retriesOnFreshStateWhenSomeoneElseEditedInBetween() {
        Resource<ConfigMap> cm = configMap("conflict");
        AtomicInteger attempts = new AtomicInteger();
        boolean written = patches.edit("set ours", cm, c -> {
            if (attempts.incrementAndGet() == 1) {
                // a concurrent writer wins the race after our read
                cm.edit(other -> {
                    other.getData().put("theirs", "2");
                    return other;
                });
            }
            c.getData().put("ours", "x");
            return c;
        });

        assertThat(written).isTrue();
        assertThat(attempts).as("the stale patch was refused with 409 and redone").hasValue(2);
        assertThat(cm.get().getData()).containsEntry("theirs", "2").containsEntry("ours", "x");
    }

    @Test
    void writesNothingWhenNothingChanges() {
        Resource<ConfigMap> cm = configMap("unchanged");
        String version = cm.get().getMetadata().getResourceVersion();
        assertThat(patches.edit("keep", cm, c -> c)).isFalse();
        assertThat(cm.get().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void reportsAMissingObjectAsNotFound() {
        assertThatThrownBy(() -> patches.edit("edit ConfigMap patches/ghost",
                kube.configMaps().inNamespace("patches").withName("ghost"), c -> c))
                .isInstanceOfSatisfying(ExecutionFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.NOT_FOUND);
                    assertThat(e.getMessage()).contains("patches/ghost");
                });
    }
}
