package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** How a release is carried out. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Strategy.Canary.class, name = "canary"),
})
public sealed interface Strategy permits Strategy.Canary {

    /**
     * The new version beside the stable one; traffic shifted in steps; promoted after the last step
     * unless an analysis fails or a step cannot be applied, in which case it is rolled back.
     *
     * @param progressDeadline how long the executor may take to confirm a step before the release
     *                         fails it (default 15 minutes)
     * @param onInconclusive   what an INCONCLUSIVE analysis does (default: pause and notify)
     */
    record Canary(TrafficRouting trafficRouting, List<CanaryStep> steps, java.time.Duration progressDeadline,
            InconclusivePolicy onInconclusive) implements Strategy {

        public Canary(TrafficRouting trafficRouting, List<CanaryStep> steps) {
            this(trafficRouting, steps, null, null);
        }
    }

    /** What an INCONCLUSIVE verdict does to a release. */
    enum InconclusivePolicy {
        /** Hold where the release is and tell operators; they promote or abort. */
        @com.fasterxml.jackson.annotation.JsonProperty("pause") PAUSE,
        /** Treat it as a failure and roll back. */
        @com.fasterxml.jackson.annotation.JsonProperty("rollback") ROLLBACK
    }
}
