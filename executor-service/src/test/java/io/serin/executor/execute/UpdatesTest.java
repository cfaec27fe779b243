package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.executor.k8s.KubernetesWorkloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rolling and recreate updates of the target itself and their undo, against the mock API server. */
class UpdatesTest extends RouterTestBase {

    private static final String TEMPLATE = "serin.io/previous-template";

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.ReplicaRatio();
    }

    private ExecutorCommand.RollingUpdate rolling(String tag, String maxSurge, String maxUnavailable) {
        return new ExecutorCommand.RollingUpdate("r1/rolling", "r1", target, image(tag), maxSurge, maxUnavailable);
    }

    private ExecutorCommand.RecreateUpdate recreate(String tag) {
        return new ExecutorCommand.RecreateUpdate("r1/recreate", "r1", target, image(tag));
    }

    private ExecutorCommand.UndoUpdate undo(String releaseId, boolean recreate) {
        return new ExecutorCommand.UndoUpdate(releaseId + "/undo", releaseId, target, recreate, "error rate doubled");
    }

    private Deployment target() {
        return deployment("payment-gateway");
    }

    private Map<String, String> annotations() {
        Map<String, String> a = target().getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    @Test
    void recordsTheTemplateThenRollsToTheNewImageWithTheGivenSurge() {
        Deployment before = target();
        assertThat(succeededWith(rolling("v2", "1", "0")).summary()).contains("runs " + IMAGE + "v2", "3/3");

        Deployment after = target();
        assertThat(imageOf(after)).isEqualTo(IMAGE + "v2");
        assertThat(after.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(after.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(after.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(after.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(annotations()).containsEntry("serin.io/release", "r1").containsEntry("serin.io/previous-replicas", "3")
                .containsKey("serin.io/previous-strategy");
        assertThat(annotations().get(TEMPLATE)).contains(IMAGE + "v1").doesNotContain(IMAGE + "v2");
        assertThat(after.getSpec().getSelector()).isEqualTo(before.getSpec().getSelector());
        assertThat(after.getSpec().getTemplate().getMetadata()).isEqualTo(before.getSpec().getTemplate().getMetadata());
    }

    @Test
    void givesTheSameStateAndResultWhenAppliedTwiceAndKeepsTheFirstRecord() {
        String first = succeededWith(rolling("v2", null, null)).summary();
        String version = version(target());
        String record = annotations().get(TEMPLATE);

        assertThat(succeededWith(rolling("v2", null, null)).summary()).isEqualTo(first);
        assertThat(version(target())).isEqualTo(version);
        assertThat(annotations().get(TEMPLATE)).as("not the half-done change").isEqualTo(record).contains("v1");
    }

    @Test
    void failsNotReadyWithTheDeploymentsReasonWhenNewPodsNeverGetReady() {
        ExecutorResult.Failed f = failed(rolling("v2-broken", null, null), FailureReason.NOT_READY);
        assertThat(f.message()).contains("payment-gateway", "ProgressDeadlineExceeded", "ImagePullBackOff");
        assertThat(failed(rolling("v2-broken", null, null), FailureReason.NOT_READY).message())
                .as("the same answer again").isEqualTo(f.message());
    }

    @Test
    void undoesAStuckRollingUpdateToTheRecordedTemplateAndDropsTheRecord() {
        Deployment before = target();
        failed(rolling("v2-broken", "2", "25%"), FailureReason.NOT_READY);

        assertThat(succeededWith(undo("r1", false)).summary()).contains("previous template", "error rate doubled");
        Deployment after = target();
        assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        assertThat(after.getSpec().getStrategy()).as("the strategy as it was").isEqualTo(before.getSpec().getStrategy());
        assertThat(after.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(annotations()).doesNotContainKeys(TEMPLATE, "serin.io/release", "serin.io/previous-replicas",
                "serin.io/previous-strategy");

        String version = version(target());
        assertThat(succeededWith(undo("r1", false)).summary()).contains("nothing to undo");
        assertThat(version(target())).isEqualTo(version);
    }

    @Test
    void leavesATargetAloneThatThisReleaseNeverChanged() {
        succeeded(rolling("v2", null, null));
        // the undo leaves its mark (CommandOrder), an annotation: the Deployment's spec is what must not change
        var spec = target().getSpec();
        assertThat(succeededWith(undo("r0", false)).summary()).contains("nothing to undo", "release 'r1'");
        assertThat(target().getSpec()).isEqualTo(spec);
        assertThat(imageOf(target())).isEqualTo(IMAGE + "v2");
    }

    @Test
    void recreatesWithNoNewPodBeforeTheLastOldOneIsGone() {
        List<Deployment> seen = new CopyOnWriteArrayList<>();
        try (Watch ignored = watchTarget(seen)) {
            assertThat(succeededWith(recreate("v2")).summary()).contains("after all old pods stopped");
        }
        Deployment after = target();
        assertThat(imageOf(after)).isEqualTo(IMAGE + "v2");
        assertThat(after.getSpec().getReplicas()).isEqualTo(3);
        assertThat(after.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(annotations()).containsEntry("serin.io/previous-replicas", "3");

        int firstNew = indexOf(seen, d -> imageOf(d).endsWith("v2"));
        int drained = indexOf(seen, d -> d.getSpec().getReplicas() == 0 && d.getStatus() != null
                && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() == 0
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration());
        assertThat(drained).as("scaled to zero and drained").isNotNegative().isLessThan(firstNew);
        assertThat(seen.get(firstNew).getSpec().getReplicas()).as("the new image starts from zero").isZero();
    }

    @Test
    void resumesARecreateThatStoppedHalfWayWithTheOriginalReplicaCount() {
        // a crash after recording and scaling down, before the new image was set
        KubernetesWorkloads workloads = new KubernetesWorkloads(executorClient, Duration.ofSeconds(5));
        workloads.recordUpdate(target, "r1");
        workloads.scale(target, 0);
        await().until(() -> target().getStatus().getReplicas() == 0);

        succeeded(recreate("v2"));
        assertThat(target().getSpec().getReplicas()).as("the recorded count, not the 0 it was left at").isEqualTo(3);
        assertThat(imageOf(target())).isEqualTo(IMAGE + "v2");
        String version = version(target());
        succeeded(recreate("v2"));
        assertThat(version(target())).isEqualTo(version);
    }

    @Test
    void undoesARecreateTheSameWayDownFirst() {
        Deployment before = target();
        succeeded(recreate("v2"));
        List<Deployment> seen = new CopyOnWriteArrayList<>();
        try (Watch ignored = watchTarget(seen)) {
            assertThat(succeededWith(undo("r1", true)).summary()).contains("recreated");
        }
        assertThat(target().getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        assertThat(target().getSpec().getReplicas()).isEqualTo(3);
        int firstOld = indexOf(seen, d -> imageOf(d).endsWith("v1"));
        assertThat(seen.get(firstOld).getSpec().getReplicas()).as("the old image starts from zero").isZero();
        assertThat(annotations()).doesNotContainKey(TEMPLATE);
    }

    @Test
    void refusesASurgeTheApiServerWouldRefuseBeforeRecordingAnything() {
        assertThat(failed(rolling("v2", "0", "0%"), FailureReason.INVALID).message()).contains("both be 0");
        assertThat(failed(rolling("v2", "lots", null), FailureReason.INVALID).message()).contains("'lots'");
        assertThat(annotations()).doesNotContainKey(TEMPLATE);
        assertThat(imageOf(target())).isEqualTo(IMAGE + "v1");
    }

    @Test
    void neverUpdatesATargetUnderAnotherReleasesCanary() {
        succeeded(new ExecutorCommand.SetCanaryWeight("r0/step", "r0", target, image("v9"), 25, routing()));
        assertThat(failed(rolling("v2", null, null), FailureReason.INVALID).message()).contains("release 'r0'");
        assertThat(failed(recreate("v2"), FailureReason.INVALID).message()).contains("release 'r0'");
        assertThat(imageOf(target())).isEqualTo(IMAGE + "v1");
    }

    private Watch watchTarget(List<Deployment> seen) {
        return kube.apps().deployments().inNamespace(ns).withName("payment-gateway").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                seen.add(d);
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test closes it
            }
        });
    }

    private static int indexOf(List<Deployment> seen, java.util.function.Predicate<Deployment> p) {
        for (int i = 0; i < seen.size(); i++) {
            if (p.test(seen.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
