package io.serin.planner.plan;

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

import java.time.Duration;
import java.util.List;

/** Request fixtures shared by the planner's tests. */
public final class Requests {

    public static final WorkloadRef TARGET = new WorkloadRef("Deployment", "payments", "payment-gateway");
    public static final VersionSpec V2 = new VersionSpec("registry.example.com/payments/payment-gateway:v2", null);

    public static final TrafficRouting ISTIO = new TrafficRouting.Istio("payment-gateway", null, "payment-gateway",
            null);

    /** Policies that open every non-system namespace and every registry: tests of planning, not of policy. */
    public static final io.serin.events.policy.NamespacePolicy ANY_NAMESPACE =
            new io.serin.events.policy.NamespacePolicy(java.util.Set.of("*"), java.util.Set.of());
    public static final io.serin.events.policy.ImagePolicy ANY_IMAGE =
            new io.serin.events.policy.ImagePolicy(List.of("*"), false);

    private Requests() {
    }

    /** A validator under {@link #ANY_NAMESPACE} and {@link #ANY_IMAGE}. */
    public static RequestValidator validator() {
        return new RequestValidator(ANY_NAMESPACE, ANY_IMAGE);
    }

    public static MetricCheck errorRate(double max) {
        return new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, max), 100L);
    }

    /** setWeight 25 → analysis (30 s, error rate ≤ 5%) → promote. */
    public static ReleaseRequested canary(String releaseId) {
        return canary(releaseId, List.of(new CanaryStep.SetWeight(25),
                new CanaryStep.Analysis(Duration.ofSeconds(30), List.of(errorRate(0.05)))));
    }

    public static ReleaseRequested canary(String releaseId, List<CanaryStep> steps) {
        return canary(releaseId, new TrafficRouting.ReplicaRatio(), steps);
    }

    public static ReleaseRequested canary(String releaseId, TrafficRouting routing, List<CanaryStep> steps) {
        return request(releaseId, new Strategy.Canary(routing, steps));
    }

    /** The reference canary on another target. */
    public static ReleaseRequested canaryOn(WorkloadRef target, String releaseId) {
        ReleaseRequested r = canary(releaseId);
        return new ReleaseRequested(releaseId, target, r.to(), r.strategy(), r.requestedBy());
    }

    public static ReleaseRequested request(String releaseId, Strategy strategy) {
        return new ReleaseRequested(releaseId, TARGET, V2, strategy, "ci:test");
    }

    public static io.serin.events.AnalysisSpec analysis(double maxErrorRate) {
        return new io.serin.events.AnalysisSpec(Duration.ofSeconds(30), List.of(errorRate(maxErrorRate)));
    }
}
