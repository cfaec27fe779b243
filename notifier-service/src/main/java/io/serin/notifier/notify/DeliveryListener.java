package io.serin.notifier.notify;

/** Told of every per-channel outcome, for metrics. */
@FunctionalInterface
public interface DeliveryListener {

    DeliveryListener NONE = (channel, outcome) -> { };

    void outcome(String channel, DeliveryOutcome outcome);
}
