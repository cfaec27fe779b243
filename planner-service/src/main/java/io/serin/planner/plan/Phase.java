package io.serin.planner.plan;

/** Where a release stands. The last four are terminal. */
public enum Phase {
    /** Valid, but another release is active on the target; starts when that one ends. */
    QUEUED,
    /** A step command is with the executor. */
    APPLYING_STEP,
    /** An analysis step waits for its verdict. */
    ANALYZING,
    /** The current step is done and the release holds: a pause step, an operator's pause, an inconclusive analysis. */
    PAUSED,
    /** API versions side by side: both versions are served until an operator retires the old one. */
    SERVING,
    /** The promote command is with the executor. */
    PROMOTING,
    /** The rollback command is with the executor. */
    ROLLING_BACK,
    PROMOTED,
    ROLLED_BACK,
    FAILED,
    REJECTED;

    public boolean terminal() {
        return this == PROMOTED || this == ROLLED_BACK || this == FAILED || this == REJECTED;
    }
}
