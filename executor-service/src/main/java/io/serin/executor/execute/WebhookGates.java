package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;

/**
 * Port for webhook gates: asks the gate's endpoint whether the release may go on. Touches no
 * cluster object.
 */
public interface WebhookGates {

    /**
     * The gate's answer; {@code detail} says what it answered ("200", "500 Internal Server Error",
     * "timed out after 10s"), and shows the gate's URL only without user info and query.
     */
    record Answer(boolean go, String detail) {
    }

    /**
     * Asks {@code check.webhook()} about {@code check}'s release; every way of not saying go (an
     * answer other than 2xx, no answer in time, no connection) is a closed gate, not an exception.
     * An unusable webhook (no or malformed URL) is an INVALID {@link ExecutionFailure}; a destination
     * the operator did not allow (an unknown named gate, a host not allowed, an address in a blocked
     * network) is a FORBIDDEN one naming the rule. Safe to call from several threads at once.
     */
    Answer ask(ExecutorCommand.CheckGate check);
}
