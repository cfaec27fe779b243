package io.serin.notifier.testing;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Notifications;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Severity;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One canary release of payments/payment-gateway that fails its analysis: the events tests and docs use. */
public final class Samples {

    public static final URI SOURCE = URI.create("/serin/planner");
    public static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");
    public static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    public static final VersionSpec V2 = new VersionSpec("registry.example.com/payments/payment-gateway:v2", null);
    public static final MetricCheck ERROR_RATE = new MetricCheck("error-rate", Variant.CANARY,
            new Measure.Ratio("errors", "requests"), new Judge.Threshold(null, 0.02), 100L);

    private Samples() {
    }

    public static ReleaseRequested request(String releaseId, Notifications notifications) {
        Strategy canary = new Strategy.Canary(new TrafficRouting.ReplicaRatio(), List.of(
                new CanaryStep.SetWeight(25), new CanaryStep.Analysis(Duration.ofMinutes(5), List.of(ERROR_RATE))));
        return new ReleaseRequested(releaseId, TARGET, V2, canary, "ci/payments-pipeline#812", notifications);
    }

    /** The whole log of a release whose canary fails its error-rate analysis, in order. */
    public static List<ReleaseEvent> failingCanary(String releaseId, Notifications notifications) {
        return List.of(
                new ReleaseEvent.Accepted(releaseId, 1, T0, request(releaseId, notifications)),
                new ReleaseEvent.StepStarted(releaseId, 2, T0.plusSeconds(1), TARGET, 0, 2, new CanaryStep.SetWeight(25)),
                new ReleaseEvent.StepCompleted(releaseId, 3, T0.plusSeconds(20), TARGET, 0, 2, "weight 25%",
                        new TrafficState(25, 1, 3)),
                new ReleaseEvent.StepStarted(releaseId, 4, T0.plusSeconds(21), TARGET, 1, 2,
                        new CanaryStep.Analysis(Duration.ofMinutes(5), List.of(ERROR_RATE))),
                failedAnalysis(releaseId, 5),
                new ReleaseEvent.RollbackStarted(releaseId, 6, T0.plusSeconds(263), TARGET,
                        "analysis FAILED: error-rate 0.031 > max 0.02"),
                new ReleaseEvent.RolledBack(releaseId, 7, T0.plusSeconds(290), TARGET,
                        "analysis FAILED: error-rate 0.031 > max 0.02"));
    }

    public static ReleaseEvent.AnalysisCompleted failedAnalysis(String releaseId, long sequence) {
        AnalysisVerdict verdict = new AnalysisVerdict("an-" + releaseId, releaseId, Verdict.FAILED,
                "error-rate above max", T0.plusSeconds(262), List.of(
                new MetricEvidence("error-rate", Variant.CANARY, Verdict.FAILED, 0.031, null, 0.02, 62.0, 2000.0, 48,
                        "above max"),
                new MetricEvidence("latency-p99", Variant.CANARY, Verdict.SUCCESSFUL, 0.312, null, 0.5, null, null, 48,
                        "within bounds")));
        return new ReleaseEvent.AnalysisCompleted(releaseId, sequence, T0.plusSeconds(262), TARGET, 1, verdict);
    }

    public static Notifications notifications(Severity minSeverity, String... channels) {
        return new Notifications(List.of(channels), minSeverity);
    }

    /** An envelope with an id derived from the event, as the planner makes them. */
    public static CloudEvent<ReleaseEvent> envelope(ReleaseEvent event) {
        return CloudEvent.withId(event.releaseId() + "-" + event.sequence(), SOURCE, event.releaseId(),
                event.occurredAt(), event);
    }
}
