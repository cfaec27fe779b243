package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Duration;
import java.util.List;

/**
 * How a release is carried out. Every strategy has a progress deadline per step (default 15
 * minutes), a policy for INCONCLUSIVE verdicts (default: pause and notify) and optional webhook
 * gates. docs/planner.md shows the steps each strategy runs.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Strategy.Canary.class, name = "canary"),
        @JsonSubTypes.Type(value = Strategy.BlueGreen.class, name = "blueGreen"),
        @JsonSubTypes.Type(value = Strategy.AbTest.class, name = "abTest"),
        @JsonSubTypes.Type(value = Strategy.Shadow.class, name = "shadow"),
        @JsonSubTypes.Type(value = Strategy.ApiVersions.class, name = "apiVersions"),
        @JsonSubTypes.Type(value = Strategy.Rolling.class, name = "rolling"),
        @JsonSubTypes.Type(value = Strategy.Recreate.class, name = "recreate"),
})
public sealed interface Strategy permits Strategy.Canary, Strategy.BlueGreen, Strategy.AbTest, Strategy.Shadow,
        Strategy.ApiVersions, Strategy.Rolling, Strategy.Recreate {

    /** How long the executor may take to confirm a step before the release fails it (null: default). */
    Duration progressDeadline();

    /** What an INCONCLUSIVE analysis does (null: pause). */
    InconclusivePolicy onInconclusive();

    /** Webhook gates (null: none). */
    Gates gates();

    /**
     * The new version beside the stable one; traffic shifted in steps; promoted after the last step
     * unless an analysis fails or a step cannot be applied, in which case it is rolled back.
     *
     * @param baseline           also run the old version in a Deployment of the canary's size, with
     *                           the canary's share of traffic, so analyses compare like with like
     * @param backgroundAnalysis an analysis running beside the steps from a given step on
     */
    record Canary(TrafficRouting trafficRouting, List<CanaryStep> steps, Duration progressDeadline,
            InconclusivePolicy onInconclusive, Boolean baseline, BackgroundAnalysis backgroundAnalysis, Gates gates)
            implements Strategy {

        public Canary(TrafficRouting trafficRouting, List<CanaryStep> steps, Duration progressDeadline,
                InconclusivePolicy onInconclusive) {
            this(trafficRouting, steps, progressDeadline, onInconclusive, null, null, null);
        }

        public Canary(TrafficRouting trafficRouting, List<CanaryStep> steps) {
            this(trafficRouting, steps, null, null);
        }
    }

    /**
     * A full-size copy of the new version (green) beside the target (blue), reachable through the
     * preview Service; after {@code prePromotionAnalysis} the active Service's selector switches to
     * green at once ({@code autoPromotionSeconds} later, or when an operator promotes if
     * {@code manualPromotion}); after {@code postPromotionAnalysis} and {@code scaleDownDelaySeconds}
     * (default 30), during which a rollback only switches the selector back, the target takes the new
     * version and green is removed.
     *
     * @param activeService  the Service clients use (default: the target's name)
     * @param previewService the Service that reaches green before the switch (default
     *                       {@code <target>-preview}, created by Serin)
     */
    record BlueGreen(String activeService, String previewService, AnalysisSpec prePromotionAnalysis,
            Integer autoPromotionSeconds, Boolean manualPromotion, AnalysisSpec postPromotionAnalysis,
            Integer scaleDownDelaySeconds, Duration progressDeadline, InconclusivePolicy onInconclusive, Gates gates)
            implements Strategy {
    }

    /**
     * A/B test: requests that {@code match} selects (a header or a cookie) go to the new version,
     * everything else stays on stable, for {@code iterations} (default 1) analyses of
     * {@code analysis}; then promoted. Needs a router that can match requests (not replicaRatio).
     */
    record AbTest(TrafficRouting trafficRouting, RouteMatch match, AnalysisSpec analysis, Integer iterations,
            Duration progressDeadline, InconclusivePolicy onInconclusive, Gates gates) implements Strategy {
    }

    /**
     * Shadow: {@code mirrorPercent} (default 100) percent of live requests are copied to the new
     * version, whose responses are discarded; {@code analysis} judges the new version on its own
     * metrics; then promoted. Needs a router that can mirror (istio or gatewayApi).
     */
    record Shadow(TrafficRouting trafficRouting, Integer mirrorPercent, AnalysisSpec analysis,
            Duration progressDeadline, InconclusivePolicy onInconclusive, Gates gates) implements Strategy {
    }

    /**
     * API versions side by side: the new version runs beside the old one and serves the requests
     * {@code match} selects (a path prefix such as {@code /v2}, or a version header); both stay
     * served after the optional {@code analysis} until an operator retires the old one (action
     * {@code retire}), which moves the target to the new version and removes the extra route.
     */
    record ApiVersions(TrafficRouting trafficRouting, RouteMatch match, AnalysisSpec analysis,
            Duration progressDeadline, InconclusivePolicy onInconclusive, Gates gates) implements Strategy {
    }

    /**
     * The Deployment's own rolling update to the new version ({@code maxSurge} and
     * {@code maxUnavailable} as in a Deployment, e.g. "25%" or "1"; absent: the Deployment's), then
     * the optional {@code analysis} of the updated pods; a failure undoes the rollout (the previous
     * pod template is restored, like {@code kubectl rollout undo}).
     */
    record Rolling(String maxSurge, String maxUnavailable, AnalysisSpec analysis, Duration progressDeadline,
            InconclusivePolicy onInconclusive, Gates gates) implements Strategy {
    }

    /**
     * All old pods stop, then the new ones start (downtime; for environments where two versions must
     * never run together); then the optional {@code analysis}; a failure recreates the old version.
     */
    record Recreate(AnalysisSpec analysis, Duration progressDeadline, InconclusivePolicy onInconclusive,
            Gates gates) implements Strategy {
    }

    /** What an INCONCLUSIVE verdict does to a release. */
    enum InconclusivePolicy {
        /** Hold where the release is and tell operators; they promote or abort. */
        @JsonProperty("pause") PAUSE,
        /** Treat it as a failure and roll back. */
        @JsonProperty("rollback") ROLLBACK
    }
}
