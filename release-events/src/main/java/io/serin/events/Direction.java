package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which change of a metric, relative to the compared variant, is bad. */
public enum Direction {
    /** Higher is worse (error rate, latency). */
    @JsonProperty("increase") INCREASE,
    /** Lower is worse (throughput, success rate). */
    @JsonProperty("decrease") DECREASE,
    /** Any change is bad. */
    @JsonProperty("either") EITHER
}
