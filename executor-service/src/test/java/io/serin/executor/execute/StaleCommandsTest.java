package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import io.serin.executor.testing.Policies;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command has effect at most once, and one that arrives after a newer command acted on its
 * target, or after its release gave up on it, has none: Kafka re-delivers what was not committed
 * before a crash, and two releases' commands travel in different partitions.
 */
class StaleCommandsTest extends RouterTestBase {

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.ReplicaRatio();
    }

    @Test
    void refusesACommandIssuedBeforeTheOneThatLastActedOnTheTarget() {
        succeededAt(weight(50), t0.plusSeconds(2));
        Deployment canary = deployment("payment-gateway-canary");

        ExecutorResult.Failed late = failedAt(weight(25), t0.plusSeconds(1));

        assertThat(late.message()).startsWith(StaleCommand.PREFIX)
                .contains("command 'r1/weight-50' of this release").contains(target.toString());
        assertThat(version(deployment("payment-gateway-canary"))).as("the canary is untouched")
                .isEqualTo(version(canary));
        assertThat(deployment("payment-gateway-canary").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void refusesALateCommandOfAnOlderReleaseAfterANewerReleaseTookTheTarget() {
        succeededAt(weight(25), t0);
        succeededAt(rollback(), t0.plusSeconds(60));
        ExecutorCommand.SetCanaryWeight next = new ExecutorCommand.SetCanaryWeight("r2/weight-10", "r2", target,
                image("v3"), 10, routing());
        succeededAt(next, t0.plusSeconds(120));
        Deployment targetBefore = deployment("payment-gateway");
        Deployment canaryBefore = deployment("payment-gateway-canary");

        // r1's promotion, never committed before a crash, arrives after r2 started
        ExecutorResult.Failed promote = failedAt(promote(), t0.plusSeconds(30));
        ExecutorResult.Failed redo = failedAt(weight(25), t0);

        assertThat(promote.message()).startsWith(StaleCommand.PREFIX)
                .contains("command 'r2/weight-10' of release 'r2', which has taken the target since");
        assertThat(redo.message()).startsWith(StaleCommand.PREFIX);
        assertThat(version(deployment("payment-gateway"))).as("the target is untouched").isEqualTo(version(targetBefore));
        assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + "v1");
        assertThat(version(deployment("payment-gateway-canary"))).as("r2's canary is untouched")
                .isEqualTo(version(canaryBefore));
        assertThat(imageOf(deployment("payment-gateway-canary"))).isEqualTo(IMAGE + "v3");
    }

    @Test
    void appliesARedeliveredCommandAgainWithoutChangingAnything() {
        ExecutorResult.Succeeded first = succeededAt(weight(50), t0);
        String targetVersion = version(deployment("payment-gateway"));
        String canaryVersion = version(deployment("payment-gateway-canary"));

        ExecutorResult.Succeeded again = succeededAt(weight(50), t0);

        assertThat(again.traffic()).isEqualTo(first.traffic()).isEqualTo(new TrafficState(50, 3, 3));
        assertThat(again.summary()).isEqualTo(first.summary());
        assertThat(version(deployment("payment-gateway"))).isEqualTo(targetVersion);
        assertThat(version(deployment("payment-gateway-canary"))).isEqualTo(canaryVersion);
    }

    @Test
    void recordsOnTheTargetWhichCommandLastActedOnIt() {
        succeededAt(weight(25), t0);

        assertThat(deployment("payment-gateway").getMetadata().getAnnotations())
                .containsEntry(CommandOrder.RELEASE_ANNOTATION, "r1")
                .containsEntry(CommandOrder.COMMAND_ANNOTATION, "r1/weight-25")
                .containsEntry(CommandOrder.ISSUED_ANNOTATION, t0.toString());
    }

    @Test
    void refusesAForwardCommandOlderThanTheMaximumAgeButStillRollsBack() {
        Instant now = Instant.now();
        succeededAt(weight(25), now.minus(Duration.ofMinutes(40)));
        handler = handlerWithMaxAge(Duration.ofMinutes(15));

        ExecutorResult.Failed tooOld = failedAt(weight(50), now.minus(Duration.ofMinutes(30)));
        assertThat(tooOld.message()).startsWith(StaleCommand.PREFIX).contains("maximum command age PT15M");
        assertThat(deployment("payment-gateway-canary").getSpec().getReplicas()).isEqualTo(1);

        // a rollback only puts back what stood before its release: late, it still does good
        succeededAt(rollback(), now.minus(Duration.ofMinutes(20)));
        assertThat(deployment("payment-gateway-canary")).isNull();
    }

    @Test
    void takesAnUnreadableMarkForNoneAndReplacesIt() {
        kube.apps().deployments().inNamespace(ns).withName("payment-gateway").edit(d -> {
            d.getMetadata().getAnnotations().put(CommandOrder.RELEASE_ANNOTATION, "r0");
            d.getMetadata().getAnnotations().put(CommandOrder.COMMAND_ANNOTATION, "r0/x");
            d.getMetadata().getAnnotations().put(CommandOrder.ISSUED_ANNOTATION, "yesterday");
            return d;
        });

        succeededAt(weight(25), t0);

        assertThat(deployment("payment-gateway").getMetadata().getAnnotations())
                .containsEntry(CommandOrder.ISSUED_ANNOTATION, t0.toString());
    }

    @Test
    void ordersCommandsByIssueTimeAloneAcrossReleases() {
        Optional<CommandOrder.Mark> last = Optional.of(new CommandOrder.Mark("r2", "r2/a", t0));

        assertThat(CommandOrder.staleBecause(new CommandOrder.Mark("r1", "r1/a", t0.minusMillis(1)), last, target))
                .isPresent();
        assertThat(CommandOrder.staleBecause(new CommandOrder.Mark("r1", "r1/a", t0), last, target))
                .as("a tie is no evidence of lateness").isEmpty();
        assertThat(CommandOrder.staleBecause(new CommandOrder.Mark("r2", "r2/a", t0.minusSeconds(5)), last, target))
                .as("the marked command itself, re-delivered").isEmpty();
        assertThat(CommandOrder.staleBecause(new CommandOrder.Mark("r3", "r3/a", t0.plusMillis(1)), last, target))
                .isEmpty();
        assertThat(CommandOrder.staleBecause(new CommandOrder.Mark("r1", "r1/a", t0), Optional.empty(), target))
                .isEmpty();
    }

    private CommandHandler handlerWithMaxAge(Duration maxAge) {
        Duration api = Duration.ofSeconds(5);
        return new CommandHandler(new KubernetesWorkloads(executorClient, api), new KubernetesServices(executorClient,
                api), new KubernetesRouteReconcilers(executorClient, api), null, Duration.ofSeconds(10), Duration.ZERO,
                maxAge, Policies.allowing(ns), Clock.systemUTC());
    }

    private ExecutorResult.Succeeded succeededAt(ExecutorCommand command, Instant issuedAt) {
        ExecutorResult result = handler.handle(command, issuedAt);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Succeeded.class);
        return (ExecutorResult.Succeeded) result;
    }

    private ExecutorResult.Failed failedAt(ExecutorCommand command, Instant issuedAt) {
        ExecutorResult result = handler.handle(command, issuedAt);
        assertThat(result).as(String.valueOf(result)).isInstanceOfSatisfying(ExecutorResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID));
        return (ExecutorResult.Failed) result;
    }
}
