package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How much a release event needs a human: info for every step, warn for pauses and inconclusive
 * analyses, error for failures and rollbacks.
 */
public enum Severity {
    @JsonProperty("info") INFO,
    @JsonProperty("warn") WARN,
    @JsonProperty("error") ERROR
}
