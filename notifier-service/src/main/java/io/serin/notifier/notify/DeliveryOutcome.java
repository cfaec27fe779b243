package io.serin.notifier.notify;

/** What became of one notification. {@code reason} says why it was skipped or given up. */
public record DeliveryOutcome(Result result, int attempts, String reason) {

    public enum Result {
        DELIVERED,
        /** Notifications are switched off; nothing was sent. */
        SKIPPED,
        /** Given up: the record belongs on the dead-letter topic. */
        UNDELIVERABLE
    }

    static DeliveryOutcome delivered(int attempts) {
        return new DeliveryOutcome(Result.DELIVERED, attempts, null);
    }

    static DeliveryOutcome skipped(String reason) {
        return new DeliveryOutcome(Result.SKIPPED, 0, reason);
    }

    static DeliveryOutcome undeliverable(int attempts, String failure) {
        return new DeliveryOutcome(Result.UNDELIVERABLE, attempts,
                failure + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
    }
}
