package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How traffic is split between stable and new version. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TrafficRouting.ReplicaRatio.class, name = "replicaRatio"),
})
public sealed interface TrafficRouting permits TrafficRouting.ReplicaRatio {

    /**
     * No mesh: canary pods run beside stable pods behind the same plain Service, so the share of
     * traffic is the share of ready pods. Granularity is one pod: 10% needs at least 9 stable pods.
     */
    record ReplicaRatio() implements TrafficRouting {
    }
}
