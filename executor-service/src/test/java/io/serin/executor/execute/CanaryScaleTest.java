package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SetCanaryScale: the canary's size apart from its weight, kept by later weight steps until reset. */
class CanaryScaleTest extends RouterTestBase {

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.GatewayApi("payment-gateway", null);
    }

    @BeforeEach
    void installRoute() {
        create(new HTTPRouteBuilder()
                .withNewMetadata().withName("payment-gateway").endMetadata()
                .withNewSpec().addNewParentRef().withName("edge").endParentRef()
                    .addNewRule().addNewBackendRef().withName("payment-gateway").withPort(80).endBackendRef().endRule()
                .endSpec().build());
    }

    private int canaryReplicas() {
        return deployment("payment-gateway-canary").getSpec().getReplicas();
    }

    private String scaleAnnotation() {
        return deployment("payment-gateway-canary").getMetadata().getAnnotations().get("serin.io/canary-scale");
    }

    @Test
    void sizesTheCanaryWithoutMovingTrafficAndLaterWeightsKeepToIt() {
        succeeded(weight(10));
        assertThat(canaryReplicas()).isEqualTo(1);

        assertThat(succeeded(scale(3, null))).isEqualTo(new TrafficState(10, 3, 3));
        assertThat(canaryReplicas()).isEqualTo(3);
        assertThat(scaleAnnotation()).isEqualTo("replicas=3");

        succeeded(weight(20));
        assertThat(canaryReplicas()).as("the weight no longer sizes the canary").isEqualTo(3);

        succeeded(scale(null, 34));
        assertThat(canaryReplicas()).as("34% of 3 pods, rounded up").isEqualTo(2);
        assertThat(scaleAnnotation()).isEqualTo("percent=34");
    }

    @Test
    void returnsToSizingByWeightWhenBothAreNull() {
        succeeded(weight(40));
        succeeded(scale(3, null));
        assertThat(succeeded(scale(null, null))).isEqualTo(new TrafficState(40, 2, 3));
        assertThat(canaryReplicas()).as("40% of 3 pods, rounded up").isEqualTo(2);
        assertThat(deployment("payment-gateway-canary").getMetadata().getAnnotations())
                .doesNotContainKey("serin.io/canary-scale");
        succeeded(weight(70));
        assertThat(canaryReplicas()).isEqualTo(3);
    }

    @Test
    void startsAScaledCanaryBeforeAnyTrafficReachesIt() {
        assertThat(succeeded(scale(2, null))).isEqualTo(new TrafficState(0, 2, 3));
        assertThat(canaryReplicas()).isEqualTo(2);
        assertThat(imageOf(deployment("payment-gateway-canary"))).isEqualTo(IMAGE + "v2");
    }

    @Test
    void givesTheSameStateWhenAppliedTwice() {
        succeeded(weight(10));
        TrafficState first = succeeded(scale(2, null));
        String version = version(deployment("payment-gateway-canary"));
        assertThat(succeeded(scale(2, null))).isEqualTo(first);
        assertThat(version(deployment("payment-gateway-canary"))).isEqualTo(version);
    }

    @Test
    void refusesContradictoryOrEmptySizes() {
        assertThat(failed(scale(2, 50), FailureReason.INVALID).message()).contains("not both");
        assertThat(failed(scale(0, null), FailureReason.INVALID).message()).contains("at least 1");
        assertThat(failed(scale(null, 150), FailureReason.INVALID).message()).contains("1-100");
        assertThat(deployment("payment-gateway-canary")).isNull();
    }

    @Test
    void refusesReplicaRatioRoutingWhereSizeIsTraffic() {
        ExecutorCommand.SetCanaryScale ratio = new ExecutorCommand.SetCanaryScale("r1/scale", "r1", target,
                image("v2"), 2, null, new TrafficRouting.ReplicaRatio());
        assertThat(failed(ratio, FailureReason.INVALID).message()).contains("replicaRatio routing cannot size");
    }

    @Test
    void failsNotReadyWhenTheScaledCanaryNeverGetsReady() {
        ExecutorCommand.SetCanaryScale broken = new ExecutorCommand.SetCanaryScale("r1/scale", "r1", target,
                image("v2-broken"), 2, null, routing());
        assertThat(failed(broken, FailureReason.NOT_READY).message()).contains("ProgressDeadlineExceeded");
    }
}
