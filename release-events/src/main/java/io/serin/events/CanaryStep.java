package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Duration;
import java.util.List;

/** One step of a canary release. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CanaryStep.SetWeight.class, name = "setWeight"),
        @JsonSubTypes.Type(value = CanaryStep.Analysis.class, name = "analysis"),
        @JsonSubTypes.Type(value = CanaryStep.Pause.class, name = "pause"),
        @JsonSubTypes.Type(value = CanaryStep.SetCanaryScale.class, name = "setCanaryScale"),
        @JsonSubTypes.Type(value = CanaryStep.SetHeaderRoute.class, name = "setHeaderRoute"),
        @JsonSubTypes.Type(value = CanaryStep.SetMirrorRoute.class, name = "setMirrorRoute"),
})
public sealed interface CanaryStep permits CanaryStep.SetWeight, CanaryStep.Analysis, CanaryStep.Pause,
        CanaryStep.SetCanaryScale, CanaryStep.SetHeaderRoute, CanaryStep.SetMirrorRoute {

    /** Send {@code weight} percent of traffic to the new version (1–99). */
    record SetWeight(Integer weight) implements CanaryStep {
    }

    /**
     * Judge the metrics over {@code duration}; a FAILED verdict rolls the release back. The step
     * blocks until the verdict arrives.
     *
     * @param failureLimit      FAILED verdicts tolerated in this step (default 0): each one below the
     *                          limit runs the analysis again; counted per step, not per release
     * @param inconclusiveLimit INCONCLUSIVE verdicts tolerated the same way before the strategy's
     *                          {@code onInconclusive} applies (default 0)
     * @param initialDelay      warm-up not judged (default none): samples in the first
     *                          {@code initialDelay} after the step starts are ignored, and the
     *                          analysis then judges for its full {@code duration}; at most
     *                          {@link Limits#MAX_INITIAL_DELAY}
     */
    record Analysis(Duration duration, List<MetricCheck> metrics, Integer failureLimit, Integer inconclusiveLimit,
            Duration initialDelay) implements CanaryStep {

        public Analysis(Duration duration, List<MetricCheck> metrics) {
            this(duration, metrics, null, null, null);
        }

        public Analysis(Duration duration, List<MetricCheck> metrics, Integer failureLimit,
                Integer inconclusiveLimit) {
            this(duration, metrics, failureLimit, inconclusiveLimit, null);
        }
    }

    /**
     * Hold traffic where it is for {@code duration}; without a duration, until an operator promotes.
     * A timed pause ends at its original time even if the planner restarts in between.
     */
    record Pause(Duration duration) implements CanaryStep {
    }

    /**
     * Size the canary independently of its traffic share: {@code replicas} pods (at least 1), or
     * {@code percent} (1–100) of the target's replicas (rounded up); {@code matchTrafficWeight} returns to sizing it by its
     * weight. Exactly one of the three is set. Not available with replicaRatio routing, where the
     * pod count is the traffic share.
     */
    record SetCanaryScale(Integer replicas, Integer percent, Boolean matchTrafficWeight) implements CanaryStep {
    }

    /** Send the requests {@code match} selects (header or cookie) to the canary, on top of its weight. */
    record SetHeaderRoute(RouteMatch match) implements CanaryStep {
    }

    /** Copy {@code percent} percent of live requests to the canary (responses discarded). */
    record SetMirrorRoute(Integer percent) implements CanaryStep {
    }
}
