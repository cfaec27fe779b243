package io.serin.notifier.notify;

/** What became of one event on one channel. {@code reason} says why it was given up. */
public record DeliveryOutcome(Result result, int attempts, String reason) {

    public enum Result {
        DELIVERED,
        /** The delivery log says this channel already has this event: nothing was sent. */
        DUPLICATE,
        /** Given up: the record belongs on the dead-letter topic. */
        UNDELIVERABLE
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
}
