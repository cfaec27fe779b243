package io.serin.planner.plan;

import java.time.Instant;

/**
 * Something the planner must do at a wall-clock time: end a timed pause, or fail a step the
 * executor did not confirm in time. Timers are stored with a changelog, so one set before a crash
 * fires at its original time after the restart. A timer whose {@code ref} no longer matches the
 * release's state is stale and does nothing.
 */
public record Timer(String releaseId, Kind kind, String ref, Instant dueAt) {

    public enum Kind {
        /** End the pause identified by {@code ref}. */
        RESUME,
        /** Fail the release if the command or analysis {@code ref} is still pending. */
        DEADLINE,
        /** Ask the gate of the current step again; {@code ref} is the id of the next ask. */
        ASK_AGAIN,
        /** Forget a finished release: its retention is over. */
        EXPIRE
    }

    /** Store key ordering timers by due time, so due ones are one range scan. */
    public String key() {
        return String.format("%013d/%s/%s/%s", dueAt.toEpochMilli(), releaseId, kind, ref);
    }

    /** The greatest key of timers due at or before {@code now}. */
    public static String lastKeyDueAt(Instant now) {
        return String.format("%013d/\uffff", now.toEpochMilli());
    }
}
