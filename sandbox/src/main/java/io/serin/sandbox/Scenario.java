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
    /** payment-gateway v1 → v2; the canary fails 1% of requests, as stable does, and is promoted. */
    HEALTHY("v2"),
    /** payment-gateway v1 → v2-errors; the canary fails 5% of requests and is rolled back. */
    BAD("v2-errors");

    private final String tag;

    Scenario(String tag) {
        this.tag = tag;
    }

    /** setWeight 25 → analysis (sequential error-rate judge, at most {@code analysis}) → promote. */
    public ReleaseRequested request(String releaseId, Duration analysis) {
        return request(releaseId, ExampleApps.NAME, List.of(new CanaryStep.SetWeight(25),
                new CanaryStep.Analysis(analysis, List.of(errorRate()))));
    }

    /** This scenario's version of {@code payments/<app>} (image {@code ExampleApps.IMAGE}) through {@code steps}. */
    public ReleaseRequested request(String releaseId, String app, List<CanaryStep> steps) {
        return new ReleaseRequested(releaseId, new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, app),
                new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.Canary(new TrafficRouting.ReplicaRatio(), steps),
                "sandbox:" + name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The canary's error rate against stable's, by the sequential judge: FAILED as soon as the canary
     * is clearly worse, SUCCESSFUL as soon as it is shown less than twice as bad (α = β = 1%).
     */
    public static MetricCheck errorRate() {
        return new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Sequential(0.01, 0.01, 1.0), 100L, Variant.STABLE);
    }
}
