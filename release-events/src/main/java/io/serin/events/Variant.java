package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which side of a release a workload or sample belongs to. */
public enum Variant {
    @JsonProperty("stable") STABLE,
    @JsonProperty("canary") CANARY,
    @JsonProperty("baseline") BASELINE;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The label value ({@code serin.io/variant}). */
    public String label() {
        return label;
    }
}
