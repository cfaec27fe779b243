package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.ExecutorCommand;
import io.serin.events.TrafficRouting;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import io.serin.executor.testing.Policies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** serin.executor.abort-delay: traffic back to stable at once, the canary's pods later, without blocking. */
class AbortDelayTest extends RouterTestBase {

    /** Long enough that a rollback on a busy machine still returns well within it. */
    private static final Duration DELAY = Duration.ofSeconds(3);

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.GatewayApi("payment-gateway", null);
    }

    @BeforeEach
    void installRouteAndDelay() {
        create(new HTTPRouteBuilder()
                .withNewMetadata().withName("payment-gateway").endMetadata()
                .withNewSpec().addNewRule().addNewBackendRef().withName("payment-gateway").withPort(80).endBackendRef()
                    .endRule().endSpec().build());
        handler = handler(executorClient, ns, DELAY, Clock.systemUTC());
    }

    private static CommandHandler handler(KubernetesClient client, String ns, Duration abortDelay, Clock clock) {
        Duration api = Duration.ofSeconds(5);
        return new CommandHandler(new KubernetesWorkloads(client, api), new KubernetesServices(client, api),
                new KubernetesRouteReconcilers(client, api), null, Duration.ofSeconds(10), abortDelay, Duration.ofMinutes(15),
                Policies.allowing(ns), clock);
    }

    private HTTPRoute httpRoute() {
        return kube.resources(HTTPRoute.class).inNamespace(ns).withName("payment-gateway").get();
    }

    private String removeAfter() {
        return deployment("payment-gateway-canary").getMetadata().getAnnotations().get("serin.io/remove-after");
    }

    @Test
    void sendsTrafficBackAtOnceAndRemovesTheCanaryAfterTheDelay() {
        succeeded(weight(25));
        long start = System.nanoTime();
        assertThat(succeededWith(rollback()).summary()).contains("canary pods kept without traffic until");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the delay blocks nothing").isLessThan(DELAY);

        assertThat(httpRoute().getSpec().getRules().get(0).getBackendRefs()).singleElement()
                .satisfies(b -> assertThat(b.getName()).isEqualTo("payment-gateway"));
        assertThat(deployment("payment-gateway-canary")).as("kept for now").isNotNull();
        assertThat(removeAfter()).isNotNull();

        await().atMost(DELAY.multipliedBy(5)).until(() -> deployment("payment-gateway-canary") == null
                && service("payment-gateway-canary") == null);
    }

    @Test
    void removesAnOverdueCanaryAtTheNextCommandAfterARestart() {
        succeeded(weight(25));
        handler = handler(executorClient, ns, Duration.ofHours(1), Clock.systemUTC());
        succeeded(rollback());
        assertThat(removeAfter()).isNotNull();

        // a new executor, an hour later, takes a new release's first step on the same target
        handler = handler(executorClient, ns, Duration.ofHours(1), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        succeeded(new ExecutorCommand.SetCanaryWeight("r2/step-0", "r2", target, image("v3"), 10, routing()));
        assertThat(deployment("payment-gateway-canary").getMetadata().getLabels()).containsEntry("serin.io/release",
                "r2");
        assertThat(imageOf(deployment("payment-gateway-canary"))).isEqualTo(IMAGE + "v3");
    }

    @Test
    void keepsACanaryTheReleaseUsesAgainBeforeItsRemoval() {
        succeeded(weight(25));
        succeeded(rollback());
        succeeded(weight(25));
        assertThat(deployment("payment-gateway-canary").getMetadata().getAnnotations())
                .doesNotContainKey("serin.io/remove-after");
        await().pollDelay(DELAY.plusSeconds(1)).atMost(DELAY.plusSeconds(5))
                .until(() -> deployment("payment-gateway-canary") != null);
    }

    @Test
    void removesAReplicaRatioCanaryAtOnceSinceItsPodsAreItsTraffic() {
        ExecutorCommand.SetCanaryWeight ratio = new ExecutorCommand.SetCanaryWeight("r1/step", "r1", target,
                image("v2"), 25, new TrafficRouting.ReplicaRatio());
        succeeded(ratio);
        succeeded(new ExecutorCommand.RollbackCanary("r1/rollback", "r1", target, new TrafficRouting.ReplicaRatio(),
                "failed"));
        assertThat(deployment("payment-gateway-canary")).isNull();
    }
}
