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
import java.util.Locale;

/** The demo releases the sandbox can run ({@code --scenario}), one per strategy, each to its outcome. */
public enum Scenario {
    /** payment-gateway v1 → v2 by pod count; the canary fails 1% of requests, as stable does, and is promoted. */
    HEALTHY("v2", Duration.ofMinutes(2)),
    /** payment-gateway v1 → v2-errors; the canary fails 5% of requests and is rolled back. */
    BAD("v2-errors", Duration.ofMinutes(2)),
    /** payment-gateway v1 → v2 blue-green: preview, testers' p99, switch of the active Service, promoted. */
    BLUE_GREEN("v2", Duration.ofSeconds(20)),
    /** payment-gateway v1 → v2 for the beta segment only (Istio header route), analysed twice, promoted. */
    AB_HEADER("v2", Duration.ofSeconds(15)),
    /** payment-gateway v1 → v2 in the shadow of stable: 50% of requests mirrored (Istio), promoted. */
    SHADOW("v2", Duration.ofSeconds(20)),
    /** chatbot v2 serves /v2 beside v1 (NGINX path Ingress); both served until v1 is retired, then promoted. */
    API_VERSIONS("v2", Duration.ofSeconds(20));

    private final String tag;
    private final Duration window;

    Scenario(String tag, Duration window) {
        this.tag = tag;
        this.window = window;
    }

    /** {@code --scenario} name: {@code blue-green} for BLUE_GREEN. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario ofFlag(String flag) {
        return valueOf(flag.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public WorkloadRef target() {
        return this == API_VERSIONS ? ScenarioRequests.CHATBOT : ScenarioRequests.PAYMENT_GATEWAY;
    }

    /** True if both versions are served until an operator retires the old one. */
    public boolean servesUntilRetired() {
        return this == API_VERSIONS;
    }

    /** This scenario's release with its own analysis windows. */
    public ReleaseRequested request(String releaseId) {
        return request(releaseId, window);
    }

    /**
     * This scenario's release. {@code analysis} bounds the canary's sequential analysis (healthy,
     * bad), or is the length of each analysis window of the other strategies.
     */
    public ReleaseRequested request(String releaseId, Duration analysis) {
        String by = "sandbox:" + flag();
        return switch (this) {
            case HEALTHY, BAD -> request(releaseId, ExampleApps.NAME, List.of(new CanaryStep.SetWeight(25),
                    new CanaryStep.Analysis(analysis, List.of(errorRate()))));
            case BLUE_GREEN -> ScenarioRequests.blueGreen(releaseId, tag, analysis, by);
            case AB_HEADER -> ScenarioRequests.abHeader(releaseId, tag, analysis, by);
            case SHADOW -> ScenarioRequests.shadow(releaseId, tag, analysis, by);
            case API_VERSIONS -> ScenarioRequests.apiVersions(releaseId, tag, analysis, by);
        };
    }

    /** This scenario's version of {@code payments/<app>} (image {@code ExampleApps.IMAGE}) through {@code steps}. */
    public ReleaseRequested request(String releaseId, String app, List<CanaryStep> steps) {
        return new ReleaseRequested(releaseId, new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, app),
                new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.Canary(new TrafficRouting.ReplicaRatio(), steps),
                "sandbox:" + flag());
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
