package io.serin.sandbox;

import io.serin.events.AnalysisSpec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseRequested;
import io.serin.events.RouteMatch;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Variant;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.sandbox.traffic.ClientPopulation;
import io.serin.testsupport.ExampleApps;

import java.time.Duration;
import java.util.List;

/**
 * The sandbox's releases of the other strategies, after docs/examples/strategies but short: each
 * analysis window is {@code window}, and every wait a few seconds, so a scenario ends within one to
 * two minutes. Threshold judges, because they decide at the window's end whatever the traffic.
 */
final class ScenarioRequests {

    static final WorkloadRef PAYMENT_GATEWAY = new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE,
            ExampleApps.NAME);
    static final WorkloadRef CHATBOT = new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.CHATBOT_NAMESPACE,
            ExampleApps.CHATBOT);
    static final String PREVIEW_SERVICE = ExampleApps.NAME + "-preview";
    static final int AUTO_PROMOTION_SECONDS = 5;
    static final int SCALE_DOWN_DELAY_SECONDS = 5;
    static final int MIRROR_PERCENT = 50;
    static final String API_V2 = "/v2";

    private ScenarioRequests() {
    }

    /**
     * Green beside blue behind {@value #PREVIEW_SERVICE}, whose only clients are testers; green's p99
     * judged on their requests; the active Service switched; green's error rate judged on all clients.
     */
    static ReleaseRequested blueGreen(String releaseId, String tag, Duration window, String by) {
        return new ReleaseRequested(releaseId, PAYMENT_GATEWAY, new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.BlueGreen(ExampleApps.NAME, PREVIEW_SERVICE,
                        new AnalysisSpec(window, List.of(p99Latency(50))), AUTO_PROMOTION_SECONDS, null,
                        new AnalysisSpec(window, List.of(errorRate(100))), SCALE_DOWN_DELAY_SECONDS, null, null, null),
                by);
    }

    /** The beta segment (header {@value ClientPopulation#SEGMENT_HEADER}) on the new version, judged twice. */
    static ReleaseRequested abHeader(String releaseId, String tag, Duration window, String by) {
        return new ReleaseRequested(releaseId, PAYMENT_GATEWAY, new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.AbTest(istio(), RouteMatch.header(ClientPopulation.SEGMENT_HEADER,
                        ClientPopulation.SEGMENT_VALUE), new AnalysisSpec(window, List.of(errorRate(200))), 2, null,
                        Strategy.InconclusivePolicy.ROLLBACK, null),
                by);
    }

    /** Half of the requests copied to the new version; its own answers judged, then promoted. */
    static ReleaseRequested shadow(String releaseId, String tag, Duration window, String by) {
        return new ReleaseRequested(releaseId, PAYMENT_GATEWAY, new VersionSpec(ExampleApps.IMAGE + ":" + tag, null),
                new Strategy.Shadow(istio(), MIRROR_PERCENT, new AnalysisSpec(window,
                        List.of(errorRate(500), p99Latency(500))), null, Strategy.InconclusivePolicy.ROLLBACK, null),
                by);
    }

    /** chatbot v2 serves {@value #API_V2} beside v1 (NGINX path Ingress) until v1 is retired. */
    static ReleaseRequested apiVersions(String releaseId, String tag, Duration window, String by) {
        return new ReleaseRequested(releaseId, CHATBOT, new VersionSpec(ExampleApps.CHATBOT_IMAGE + ":" + tag, null),
                new Strategy.ApiVersions(new TrafficRouting.Nginx(ExampleApps.CHATBOT), RouteMatch.pathPrefix(API_V2),
                        new AnalysisSpec(window, List.of(errorRate(100))), null, Strategy.InconclusivePolicy.ROLLBACK,
                        null),
                by);
    }

    static TrafficRouting.Istio istio() {
        return new TrafficRouting.Istio(ExampleApps.NAME, null, ExampleApps.NAME, null);
    }

    /** The new version's errors per request over the window: at most 2% (it fails 1% when healthy, 5% when not). */
    static MetricCheck errorRate(long minRequests) {
        return new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.02), minRequests);
    }

    /** The new version's p99 over the window: at most 400 ms (about 320 ms when healthy, 416 ms when slow). */
    static MetricCheck p99Latency(long minRequests) {
        return new MetricCheck("p99-latency", Variant.CANARY, new Measure.Latency("latency", 0.99),
                new Judge.Threshold(null, 0.4), minRequests);
    }
}
