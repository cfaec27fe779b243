package io.serin.notifier.notify;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VersionSpec;
import io.serin.events.Violation;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFormatterTest {

    private static final String ID = "rel-42";
    private static final Instant NOW = Instant.parse("2025-05-01T10:15:30Z");
    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    private static final VersionSpec V2 = new VersionSpec("registry.example.com/payments/payment-gateway:v2", null);
    private static final MetricCheck ERROR_RATE = new MetricCheck("error-rate", Variant.CANARY,
            new Measure.Ratio("errors", "requests"), new Judge.Threshold(null, 0.05), 100L);

    private final MessageFormatter formatter = new MessageFormatter();

    @Test
    void summarisesAnAcceptedReleaseByStrategyVersionAndRequester() {
        Strategy canary = new Strategy.Canary(new TrafficRouting.ReplicaRatio(), List.of(
                new CanaryStep.SetWeight(25), new CanaryStep.Analysis(Duration.ofMinutes(5), List.of(ERROR_RATE))));
        ReleaseRequested request = new ReleaseRequested(ID, TARGET, V2, canary, "ci/pipeline-7");

        assertThat(formatter.format(new ReleaseEvent.Accepted(ID, 1, NOW, request))).isEqualTo(
                "payments/payment-gateway: release rel-42 accepted, canary in 2 steps to "
                        + "registry.example.com/payments/payment-gateway:v2 (requested by ci/pipeline-7)");
    }

    @Test
    void summarisesARejectedRequestByItsViolations() {
        ReleaseEvent event = new ReleaseEvent.Rejected(ID, 1, NOW, "alice",
                List.of(new Violation("strategy.steps[0].weight", "must be between 1 and 99")));

        assertThat(formatter.format(event)).isEqualTo(
                "release rel-42 rejected: strategy.steps[0].weight: must be between 1 and 99 (requested by alice)");
    }

    @Test
    void summarisesAStartedWeightStep() {
        ReleaseEvent event = new ReleaseEvent.StepStarted(ID, 2, NOW, TARGET, 0, 3, new CanaryStep.SetWeight(25));

        assertThat(formatter.format(event))
                .isEqualTo("payments/payment-gateway: step 1/3: shifting 25% of traffic to the canary");
    }

    @Test
    void summarisesAStartedAnalysisStepByItsMetricsAndDuration() {
        ReleaseEvent event = new ReleaseEvent.StepStarted(ID, 4, NOW, TARGET, 1, 3,
                new CanaryStep.Analysis(Duration.ofMinutes(5), List.of(ERROR_RATE)));

        assertThat(formatter.format(event))
                .isEqualTo("payments/payment-gateway: step 2/3: analysing error-rate for 5m");
    }

    @Test
    void summarisesACompletedStepByTheTrafficTheClusterReports() {
        ReleaseEvent event = new ReleaseEvent.StepCompleted(ID, 3, NOW, TARGET, 0, 3, "weight 25%",
                new TrafficState(25, 1, 3));

        assertThat(formatter.format(event))
                .isEqualTo("payments/payment-gateway: canary at 25% (1 canary / 3 stable pods ready)");
    }

    @Test
    void summarisesACompletedStepWithoutTrafficByItsOwnSummary() {
        ReleaseEvent event = new ReleaseEvent.StepCompleted(ID, 5, NOW, TARGET, 1, 3, "analysis passed", null);

        assertThat(formatter.format(event)).isEqualTo("payments/payment-gateway: step 2/3 done: analysis passed");
    }

    @Test
    void summarisesAFailedAnalysisByTheMetricsThatFailed() {
        AnalysisVerdict verdict = new AnalysisVerdict("an-1", ID, Verdict.FAILED, "error-rate above max", NOW, List.of(
                new MetricEvidence("error-rate", Variant.CANARY, Verdict.FAILED, 0.1, null, 0.05, 100.0, 1000.0, 12,
                        "above max"),
                new MetricEvidence("latency-p99", Variant.CANARY, Verdict.SUCCESSFUL, 0.2, null, 0.5, null, null, 12,
                        "within bounds")));

        assertThat(formatter.format(new ReleaseEvent.AnalysisCompleted(ID, 5, NOW, TARGET, 1, verdict)))
                .isEqualTo("payments/payment-gateway: analysis FAILED: error-rate 0.100 > max 0.050 (n=1000)");
    }

    @Test
    void summarisesASuccessfulAnalysisWithEveryMetricWithinItsBounds() {
        AnalysisVerdict verdict = new AnalysisVerdict("an-1", ID, Verdict.SUCCESSFUL, "all within bounds", NOW,
                List.of(new MetricEvidence("error-rate", Variant.CANARY, Verdict.SUCCESSFUL, 0.01, null, 0.05,
                        10.0, 1000.0, 12, "within bounds")));

        assertThat(formatter.format(new ReleaseEvent.AnalysisCompleted(ID, 5, NOW, TARGET, 1, verdict)))
                .isEqualTo("payments/payment-gateway: analysis SUCCESSFUL: error-rate 0.010 <= max 0.050 (n=1000)");
    }

    @Test
    void summarisesAnInconclusiveAnalysisByWhyThereWasNoValue() {
        AnalysisVerdict verdict = new AnalysisVerdict("an-1", ID, Verdict.INCONCLUSIVE, "too few requests", NOW,
                List.of(new MetricEvidence("error-rate", Variant.CANARY, Verdict.INCONCLUSIVE, null, null, 0.05,
                        0.0, 12.0, 2, "12 requests, need 100")));

        assertThat(formatter.format(new ReleaseEvent.AnalysisCompleted(ID, 5, NOW, TARGET, 1, verdict)))
                .isEqualTo("payments/payment-gateway: analysis INCONCLUSIVE: error-rate: 12 requests, need 100 (n=12)");
    }

    @Test
    void summarisesPromotionByTheNewImage() {
        assertThat(formatter.format(new ReleaseEvent.PromotionStarted(ID, 6, NOW, TARGET, V2)))
                .isEqualTo("payments/payment-gateway: promoting to registry.example.com/payments/payment-gateway:v2");
        assertThat(formatter.format(new ReleaseEvent.Promoted(ID, 7, NOW, TARGET, V2, "all pods on v2")))
                .isEqualTo("payments/payment-gateway: promoted to registry.example.com/payments/payment-gateway:v2");
    }

    @Test
    void summarisesRollbackAndFailureByTheirReason() {
        assertThat(formatter.format(new ReleaseEvent.RollbackStarted(ID, 6, NOW, TARGET, "analysis failed")))
                .isEqualTo("payments/payment-gateway: rolling back: analysis failed");
        assertThat(formatter.format(new ReleaseEvent.RolledBack(ID, 7, NOW, TARGET, "analysis failed")))
                .isEqualTo("payments/payment-gateway: rolled back: analysis failed");
        assertThat(formatter.format(new ReleaseEvent.Failed(ID, 7, NOW, TARGET, "canary could not be removed")))
                .isEqualTo("payments/payment-gateway: release FAILED, an operator must look: "
                        + "canary could not be removed");
    }

    @Test
    void summarisesEveryPermittedReleaseEventType() {
        for (Class<?> type : ReleaseEvent.class.getPermittedSubclasses()) {
            ReleaseEvent event = (ReleaseEvent) sample(type);

            assertThat(formatter.format(event)).as(type.getSimpleName()).isNotBlank().doesNotContain("null");
        }
    }

    private static Object sample(Class<?> type) {
        return Fixtures.sample(type);
    }
}
