package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an operator can ask of a running (or finished) release. */
public enum ReleaseAction {
    /** Go on to the next step: end a pause, or skip the running analysis. */
    @JsonProperty("promote") PROMOTE,
    /** Skip every remaining step and promote now. */
    @JsonProperty("promoteFull") PROMOTE_FULL,
    /** Hold at the next step boundary (a step in flight completes first). */
    @JsonProperty("pause") PAUSE,
    /** Lift a pause. */
    @JsonProperty("resume") RESUME,
    /** Roll back now. */
    @JsonProperty("abort") ABORT,
    /** Run a rolled-back release again from its first step. */
    @JsonProperty("retry") RETRY,
    /**
     * API versions side by side: stop serving the old version; the target moves to the new one and
     * the extra route goes.
     */
    @JsonProperty("retire") RETIRE
}
