package io.serin.notifier.notify;

import java.time.Duration;

/** Told of every per-channel outcome, for metrics. */
@FunctionalInterface
public interface DeliveryListener {

    DeliveryListener NONE = (channel, outcome) -> { };

    void outcome(String channel, DeliveryOutcome outcome);

    /**
     * How long a delivered post went unrecorded: from the platform's 2xx to a durable record. A
     * crash inside this window is what can double a message on a platform without idempotency keys.
     */
    default void unrecorded(String channel, Duration window) {
    }
}
