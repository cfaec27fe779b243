package io.serin.events;

/** The outcome of an analysis or of one of its metrics. */
public enum Verdict {
    /** Enough evidence that the canary is within bounds. */
    SUCCESSFUL,
    /** Enough evidence that the canary is out of bounds. */
    FAILED,
    /** Too little data to decide either way; never a pass. */
    INCONCLUSIVE,
    /** The analysis itself could not run (bad query, source unavailable). */
    ERROR
}
