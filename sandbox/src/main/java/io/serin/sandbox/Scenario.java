package io.serin.sandbox;

import io.serin.events.CanaryStep;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Variant;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.testsupport.ExampleApps;

import java.time.Duration;
import java.util.List;

/** The demo releases the sandbox can run: the same canary, to a healthy or a faulty image. */
public enum Scenario {
    /** payment-gateway v1 → v2; the canary's error rate stays at 0.5% and it is promoted. */
    HEALTHY("v2"),
    /** payment-gateway v1 → v2-errors; the canary fails 5% of requests and is rolled back. */
    BAD("v2-errors");

    private final String tag;

    Scenario(String tag) {
        this.tag = tag;
    }

    /** setWeight 25 → analysis (error rate ≤ 2% over {@code analysis}, at least 100 requests) → promote. */
    public ReleaseRequested request(String releaseId, Duration analysis) {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.02), 100L);
        return new ReleaseRequested(releaseId,
                new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, ExampleApps.NAME),
                new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.Canary(new TrafficRouting.ReplicaRatio(), List.of(new CanaryStep.SetWeight(25),
                        new CanaryStep.Analysis(analysis, List.of(errorRate)))),
                "sandbox:" + name().toLowerCase(java.util.Locale.ROOT));
    }
}
