package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The shared policy, applied by the executor to every command whoever issued it: fail closed on
 * namespaces and images. The handlers here have no cluster adapter at all, so a command the policy
 * let through would fail INTERNAL; a refused one fails FORBIDDEN before it touches anything.
 */
class CommandPolicyTest {

    private static final String IMAGE = "registry.example.com/payments/payment-gateway:v2";
    private static final String DIGEST = "registry.example.com/payments/payment-gateway@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static CommandPolicy policy(Set<String> namespaces, Set<String> protectedOnes, List<String> registries,
            boolean digestsOnly) {
        return new CommandPolicy(new NamespacePolicy(namespaces, protectedOnes), new ImagePolicy(registries, digestsOnly));
    }

    private static ExecutorResult.Failed refused(CommandPolicy policy, ExecutorCommand command) {
        ExecutorResult result = new CommandHandler(null, Duration.ofSeconds(1), policy, Clock.systemUTC()).handle(command);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Failed.class);
        ExecutorResult.Failed failed = (ExecutorResult.Failed) result;
        assertThat(failed.reason()).as(failed.message()).isEqualTo(FailureReason.FORBIDDEN);
        return failed;
    }

    private static ExecutorCommand.SetCanaryWeight weight(String namespace, String image) {
        return new ExecutorCommand.SetCanaryWeight("r1/step-0", "r1", new WorkloadRef(WorkloadRef.DEPLOYMENT, namespace,
                "payment-gateway"), new VersionSpec(image, null), 25, new TrafficRouting.ReplicaRatio());
    }

    @Test
    void refusesEveryCommandWhenNothingIsConfigured() {
        CommandPolicy nothing = policy(Set.of(), Set.of(), List.of(), false);
        assertThat(refused(nothing, weight("payments", IMAGE)).message())
                .startsWith("refused by the namespace policy").contains("serin.policy.namespaces");
        assertThat(refused(nothing, new ExecutorCommand.RollbackCanary("r1/rollback", "r1", new WorkloadRef(
                WorkloadRef.DEPLOYMENT, "payments", "payment-gateway"), null, "failed")).message())
                .contains("namespace policy");

        CommandPolicy noRegistry = policy(Set.of("payments"), Set.of(), List.of(), false);
        assertThat(refused(noRegistry, weight("payments", IMAGE)).message())
                .startsWith("refused by the image policy").contains("serin.policy.registries");
    }

    @Test
    void refusesSystemNamespacesEvenWhenListedAndProtectedOnes() {
        CommandPolicy policy = policy(Set.of("kube-system", "openshift-config", "payments", "serin", "team-*"),
                Set.of("serin"), List.of("registry.example.com"), false);
        assertThat(refused(policy, weight("kube-system", IMAGE)).message()).contains("'kube-system'", "system namespace");
        assertThat(refused(policy, weight("openshift-config", IMAGE)).message()).contains("system namespace");
        assertThat(refused(policy, weight("serin", IMAGE)).message()).contains("protected");
        assertThat(refused(policy, weight("default", IMAGE)).message()).contains("'default'", "not among");
        assertThatCode(() -> policy.check(weight("team-a", IMAGE))).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(weight("payments", IMAGE))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnImageFromARegistryNotAllowed() {
        CommandPolicy policy = policy(Set.of("payments"), Set.of(), List.of("registry.example.com/payments"), false);
        for (String image : List.of("docker.io/evil/payment-gateway:v2",
                "registry.example.com.evil.io/payments/x:v2", "registry.example.com/paymentsx/x:v2",
                "registry.example.com/support/chatbot:v2")) {
            assertThat(refused(policy, weight("payments", image)).message()).as(image)
                    .startsWith("refused by the image policy").contains("not from an allowed registry");
        }
        // a short name may be resolved through search registries by the runtime: it must name its registry
        assertThat(refused(policy, weight("payments", "payment-gateway:v2")).message())
                .startsWith("refused by the image policy").contains("does not name its registry");
        assertThat(refused(policy, new ExecutorCommand.PromoteCanary("r1/promote", "r1", new WorkloadRef(
                WorkloadRef.DEPLOYMENT, "payments", "payment-gateway"), new VersionSpec("ghcr.io/x/y:1", null),
                new TrafficRouting.ReplicaRatio())).message()).contains("image policy");
        assertThatCode(() -> policy.check(weight("payments", IMAGE))).doesNotThrowAnyException();
    }

    @Test
    void refusesATagWhenOnlyDigestsAreAllowed() {
        CommandPolicy policy = policy(Set.of("payments"), Set.of(), List.of("registry.example.com"), true);
        assertThat(refused(policy, weight("payments", IMAGE)).message()).contains("not pinned by digest");
        assertThatCode(() -> policy.check(weight("payments", DIGEST))).doesNotThrowAnyException();
    }

    @Test
    void checksTheNamespaceOfAGateButNotTheImageItOnlyAsksAbout() {
        CommandPolicy policy = policy(Set.of("payments"), Set.of(), List.of("registry.example.com"), true);
        WorkloadRef target = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
        assertThatCode(() -> policy.check(new ExecutorCommand.CheckGate("r1/gate", "r1", target,
                new VersionSpec("docker.io/x:1", null), "approval", new Webhook("gate:x")))).doesNotThrowAnyException();
        assertThat(refused(policy, new ExecutorCommand.CheckGate("r1/gate", "r1", new WorkloadRef(
                WorkloadRef.DEPLOYMENT, "kube-system", "x"), null, "approval", new Webhook("gate:x"))).message())
                .contains("system namespace");
    }
}
