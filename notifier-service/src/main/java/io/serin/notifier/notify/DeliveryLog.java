package io.serin.notifier.notify;

import java.util.Optional;

/**
 * What each channel has already had, by CloudEvent id: the memory that turns at-least-once
 * consumption into an exactly-once effect. Implementations must survive restarts.
 */
public interface DeliveryLog {

    enum Outcome {
        /**
         * Written before the first post: a post may have reached the platform. Found after a restart
         * without a later outcome, it means the previous run stopped somewhere between this record and
         * the record of the platform's answer.
         */
        ATTEMPTING,
        DELIVERED,
        DEAD_LETTERED,
        /** An uncertain delivery (see above) that the channel chose not to post again. */
        SKIPPED;

        /** Whether the channel is done with the event (nothing more will be posted for it). */
        public boolean settled() {
            return this != ATTEMPTING;
        }
    }

    Optional<Outcome> outcome(String channel, String eventId);

    /** Returns once the outcome is durable; throws when it could not be made durable (the caller retries). */
    void record(String channel, String eventId, Outcome outcome) throws InterruptedException;
}
