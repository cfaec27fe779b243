package io.serin.notifier.notify;

/** What became of one event on one channel. {@code reason} says why it was given up. */
public record DeliveryOutcome(Result result, int attempts, String reason) {

    public enum Result {
        DELIVERED,
        /** The delivery log says this channel already has this event: nothing was sent. */
        DUPLICATE,
        /** Given up: the record belongs on the dead-letter topic. */
        UNDELIVERABLE,
        /**
         * A previous run may have posted it (its write-ahead record has no outcome) and the channel
         * is set to skip rather than risk a second message: nothing was sent.
         */
        SKIPPED_UNCERTAIN,
        /**
         * Not sent: the source partition went to another instance before the post started. The
         * source record must be neither acknowledged nor failed; the new owner delivers it.
         */
        FENCED;

        /** Whether the channel is done with the event, so the source record may be acknowledged. */
        public boolean settled() {
            return this != FENCED;
        }
    }

    static DeliveryOutcome delivered(int attempts) {
        return new DeliveryOutcome(Result.DELIVERED, attempts, null);
    }

    static DeliveryOutcome duplicate() {
        return new DeliveryOutcome(Result.DUPLICATE, 0, null);
    }

    static DeliveryOutcome undeliverable(int attempts, String failure) {
        return new DeliveryOutcome(Result.UNDELIVERABLE, attempts,
                failure + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
    }

    static DeliveryOutcome skippedUncertain() {
        return new DeliveryOutcome(Result.SKIPPED_UNCERTAIN, 0,
                "a previous run may have posted it; the channel skips uncertain deliveries");
    }

    static DeliveryOutcome fenced() {
        return new DeliveryOutcome(Result.FENCED, 0, "the partition moved to another instance before the post");
    }
}
