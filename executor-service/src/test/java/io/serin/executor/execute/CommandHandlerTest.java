package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.executor.k8s.KubernetesWorkloads;
import io.serin.executor.testing.Policies;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SimulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor's core against the fabric8 API server in CRUD mode, with a kubelet simulator. */
class CommandHandlerTest {

    private static SimulatedCluster cluster;
    private static KubernetesClient kube;
    private static KubernetesClient executorClient;
    private static final TrafficRouting ROUTING = new TrafficRouting.ReplicaRatio();
    private static int counter;

    private String ns;
    private WorkloadRef target;
    private CommandHandler handler;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        kube = cluster.client();
        executorClient = io.serin.executor.testing.ApiCallRecorder.recordingClient(kube);
    }

    @AfterAll
    static void stopCluster() {
        executorClient.close();
        cluster.close();
    }

    @BeforeEach
    void installTarget() {
        ns = "team-" + (++counter);
        ExampleApps.install(kube, ns, "payment-gateway", "registry.example.com/payment-gateway:v1", 3);
        target = new WorkloadRef("Deployment", ns, "payment-gateway");
        handler = handler(Duration.ofSeconds(10), Policies.allowing("team-*"));
    }

    private CommandHandler handler(Duration readyTimeout, CommandPolicy policy) {
        return new CommandHandler(new KubernetesWorkloads(executorClient, Duration.ofSeconds(5)), readyTimeout, policy,
                Clock.systemUTC());
    }

    private static VersionSpec image(String tag) {
        return new VersionSpec("registry.example.com/payment-gateway:" + tag, null);
    }

    private Deployment get(String name) {
        return kube.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private ExecutorResult setWeight(int weight, String tag) {
        return handler.handle(new ExecutorCommand.SetCanaryWeight("r1/step-0", "r1", target, image(tag), weight,
                ROUTING));
    }

    @Test
    void createsACanaryBesideTheUntouchedTargetWithOnePodFor25Percent() {
        Deployment before = get("payment-gateway");
        ExecutorResult result = setWeight(25, "v2");

        assertThat(result).isInstanceOf(ExecutorResult.Succeeded.class);
        assertThat(((ExecutorResult.Succeeded) result).traffic()).isEqualTo(new TrafficState(25, 1, 3));
        Deployment canary = get("payment-gateway-canary");
        assertThat(canary.getSpec().getReplicas()).isEqualTo(1);
        assertThat(canary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/payment-gateway:v2");
        assertThat(canary.getMetadata().getLabels()).containsEntry("serin.io/release", "r1")
                .containsEntry("serin.io/variant", "canary");
        assertThat(canary.getSpec().getSelector().getMatchLabels()).containsEntry("app", "payment-gateway")
                .containsEntry("serin.io/variant", "canary");
        // the Service selects app=payment-gateway, so canary pods get a share of the traffic
        assertThat(canary.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "payment-gateway")
                .containsEntry("serin.io/variant", "canary");
        assertThat(canary.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(before.getMetadata().getUid()));
        assertThat(get("payment-gateway").getSpec()).isEqualTo(before.getSpec());
    }

    @Test
    void givesTheSameStateAndResultWhenACommandIsAppliedTwice() {
        ExecutorResult first = setWeight(50, "v2");
        String version = get("payment-gateway-canary").getMetadata().getResourceVersion();
        ExecutorResult second = setWeight(50, "v2");

        assertThat(((ExecutorResult.Succeeded) second).traffic()).isEqualTo(((ExecutorResult.Succeeded) first).traffic())
                .isEqualTo(new TrafficState(50, 3, 3));
        assertThat(get("payment-gateway-canary").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void promotesTheTargetToTheNewImageAndRemovesTheCanaryAfterwards() {
        setWeight(25, "v2");
        ExecutorResult result = handler.handle(new ExecutorCommand.PromoteCanary("r1/promote", "r1", target,
                image("v2"), ROUTING));

        assertThat(result).isInstanceOf(ExecutorResult.Succeeded.class);
        Deployment promoted = get("payment-gateway");
        assertThat(promoted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/payment-gateway:v2");
        assertThat(promoted.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(get("payment-gateway-canary")).isNull();
        // promoting again is harmless
        assertThat(handler.handle(new ExecutorCommand.PromoteCanary("r1/promote", "r1", target, image("v2"), ROUTING)))
                .isInstanceOf(ExecutorResult.Succeeded.class);
    }

    @Test
    void rollsBackByRemovingTheCanaryAndLeavingTheTargetAsItWas() {
        Deployment before = get("payment-gateway");
        setWeight(25, "v2");
        ExecutorResult result = handler.handle(new ExecutorCommand.RollbackCanary("r1/rollback", "r1", target, ROUTING,
                "analysis failed"));

        assertThat(((ExecutorResult.Succeeded) result).traffic()).isEqualTo(new TrafficState(0, 0, 3));
        assertThat(get("payment-gateway-canary")).isNull();
        assertThat(get("payment-gateway").getSpec()).isEqualTo(before.getSpec());
        assertThat(handler.handle(new ExecutorCommand.RollbackCanary("r1/rollback", "r1", target, ROUTING, "again")))
                .isInstanceOf(ExecutorResult.Succeeded.class);
    }

    @Test
    void failsWithTheClustersReasonWhenTheCanaryNeverGetsReady() {
        ExecutorResult result = setWeight(25, "v2-broken");
        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.NOT_READY);
            assertThat(f.message()).contains("ProgressDeadlineExceeded", "ImagePullBackOff");
        });
    }

    @Test
    void failsWithNotReadyWhenReadinessTakesLongerThanTheDeadline() {
        handler = handler(Duration.ofMillis(1), Policies.allowing("team-*"));
        ExecutorResult result = setWeight(25, "v2");
        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).as(f.message()).isEqualTo(FailureReason.NOT_READY);
            assertThat(f.message()).contains("payment-gateway-canary not ready within");
        });
    }

    @Test
    void reportsAMissingTargetAsNotFound() {
        ExecutorResult result = handler.handle(new ExecutorCommand.SetCanaryWeight("x", "r1",
                new WorkloadRef("Deployment", ns, "nope"), image("v2"), 25, ROUTING));
        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.NOT_FOUND);
            assertThat(f.message()).contains(ns + "/nope");
        });
    }

    @Test
    void refusesNamespacesOutsideTheAllowList() {
        handler = handler(Duration.ofSeconds(5), Policies.allowing("payments"));
        assertThat(setWeight(25, "v2")).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.FORBIDDEN);
            assertThat(f.message()).contains("namespace policy", "'" + ns + "'");
        });
        assertThat(get("payment-gateway-canary")).isNull();
    }

    @Test
    void refusesToAdoptACanaryOfAnotherRelease() {
        setWeight(25, "v2");
        ExecutorResult result = handler.handle(new ExecutorCommand.SetCanaryWeight("r2/step-0", "r2", target,
                image("v3"), 25, ROUTING));
        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
            assertThat(f.message()).contains("belongs to release 'r1'");
        });
    }

    @Test
    void neverRollsBackOrPromotesOverAnotherReleasesCanary() {
        Deployment before = get("payment-gateway");
        setWeight(25, "v2");
        String r1Canary = get("payment-gateway-canary").getMetadata().getResourceVersion();

        ExecutorResult rollback = handler.handle(new ExecutorCommand.RollbackCanary("r2/rollback", "r2", target,
                ROUTING, "its own step failed"));
        assertThat(rollback).isInstanceOfSatisfying(ExecutorResult.Succeeded.class,
                ok -> assertThat(ok.summary()).contains("belongs to release 'r1'", "left untouched"));
        assertThat(get("payment-gateway-canary").getMetadata().getResourceVersion()).isEqualTo(r1Canary);

        ExecutorResult promote = handler.handle(new ExecutorCommand.PromoteCanary("r2/promote", "r2", target,
                image("v3"), ROUTING));
        assertThat(promote).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
            assertThat(f.message()).contains("release 'r1' has a canary");
        });
        assertThat(get("payment-gateway").getSpec()).isEqualTo(before.getSpec());
    }

    @Test
    void runsABaselineWithAsManyPodsAsTheCanaryTakenFromStablesShare() {
        Deployment before = get("payment-gateway");
        ExecutorResult result = handler.handle(new ExecutorCommand.SetCanaryWeight("r1/step-0", "r1", target,
                image("v2"), 20, ROUTING, true));

        // 1 canary + 1 baseline beside 3 stable pods: 20% each
        assertThat(((ExecutorResult.Succeeded) result).traffic()).isEqualTo(new TrafficState(20, 1, 3));
        Deployment baseline = get("payment-gateway-baseline");
        assertThat(baseline.getSpec().getReplicas()).isEqualTo(1);
        assertThat(baseline.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/payment-gateway:v1");
        assertThat(baseline.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "payment-gateway")
                .containsEntry("serin.io/variant", "baseline").containsEntry("serin.io/release", "r1");
        assertThat(get("payment-gateway").getSpec()).isEqualTo(before.getSpec());

        handler.handle(new ExecutorCommand.SetCanaryWeight("r1/step-1", "r1", target, image("v2"), 25, ROUTING));
        assertThat(get("payment-gateway-baseline")).as("a step without baseline drops it").isNull();

        handler.handle(new ExecutorCommand.SetCanaryWeight("r1/step-2", "r1", target, image("v2"), 20, ROUTING, true));
        handler.handle(new ExecutorCommand.RollbackCanary("r1/rollback", "r1", target, ROUTING, "failed"));
        assertThat(get("payment-gateway-baseline")).isNull();
        assertThat(get("payment-gateway-canary")).isNull();
    }

    @Test
    void refusesABaselineThatWouldNeedStableToShrink() {
        ExecutorResult result = handler.handle(new ExecutorCommand.SetCanaryWeight("r1/step-0", "r1", target,
                image("v2"), 50, ROUTING, true));
        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
            assertThat(f.message()).contains("less than 50%");
        });
        assertThat(get("payment-gateway-canary")).isNull();
    }

    @Test
    void roundsWeightsToWholePods() {
        assertThat(ReplicaRatioRouter.canaryReplicas(3, 25)).isEqualTo(1);
        assertThat(ReplicaRatioRouter.canaryReplicas(3, 50)).isEqualTo(3);
        assertThat(ReplicaRatioRouter.canaryReplicas(3, 5)).isEqualTo(1);
        assertThat(ReplicaRatioRouter.canaryReplicas(9, 10)).isEqualTo(1);
        assertThat(ReplicaRatioRouter.canaryReplicas(10, 90)).isEqualTo(90);
        assertThat(ReplicaRatioRouter.canaryReplicasWithBaseline(3, 20)).isEqualTo(1);
        assertThat(ReplicaRatioRouter.canaryReplicasWithBaseline(8, 10)).isEqualTo(1);
        assertThat(ReplicaRatioRouter.canaryReplicasWithBaseline(6, 25)).isEqualTo(3);
    }
}
