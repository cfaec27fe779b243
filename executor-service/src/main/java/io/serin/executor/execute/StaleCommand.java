package io.serin.executor.execute;

import io.serin.events.FailureReason;

/**
 * A command that came too late to act: a newer command already acted on its target, or it is
 * older than the executor's maximum command age. It fails (INVALID, the contract has no better
 * word) rather than succeeding with "no effect", so that a planner that still waits for it never
 * takes an unapplied command for an applied one.
 */
public final class StaleCommand extends ExecutionFailure {

    /** Starts every stale command's message, for operators' searches and the planner's log. */
    public static final String PREFIX = "stale command, no effect: ";

    StaleCommand(String why) {
        super(FailureReason.INVALID, PREFIX + why);
    }
}
