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
     */
    record Canary(TrafficRouting trafficRouting, List<CanaryStep> steps) implements Strategy {
    }
}
