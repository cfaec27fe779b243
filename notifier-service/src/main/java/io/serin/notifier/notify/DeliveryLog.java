package io.serin.notifier.notify;

import java.util.Optional;

/**
 * What each channel has already had, by CloudEvent id: the memory that turns at-least-once
 * consumption into an exactly-once effect. Implementations must survive restarts.
 */
public interface DeliveryLog {

    enum Outcome { DELIVERED, DEAD_LETTERED }

    Optional<Outcome> outcome(String channel, String eventId);

    /** Returns once the outcome is durable. */
    void record(String channel, String eventId, Outcome outcome) throws InterruptedException;
}
