package io.serin.notifier.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.serin.notifier.notify.DeliveryListener;
import io.serin.notifier.notify.DeliveryOutcome;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * {@code serin_notifier_deliveries_total{channel, outcome}}: delivered, duplicate (already had it),
 * dead_lettered, skipped (no channel wanted the event; channel {@value #NONE}), skipped_uncertain
 * (a previous run may have posted it; the channel skips those) and fenced (the partition moved
 * before the post). Registered up front for every configured channel so dashboards and alerts see
 * zeros. {@code serin_notifier_queue_waiting{channel}}: deliveries waiting per channel.
 * {@code serin_notifier_unrecorded_window_seconds{channel}}: from 2xx to durable record.
 */
@Singleton
public class DeliveryMetrics implements DeliveryListener {

    /** The channel label of records no channel was involved in (unreadable, or routed nowhere). */
    static final String NONE = "none";

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        register(List.of(NONE));
    }

    public void register(Collection<String> channels) {
        for (String channel : channels) {
            for (String outcome : new String[] {"delivered", "duplicate", "dead_lettered", "skipped",
                    "skipped_uncertain", "fenced"}) {
                counter(channel, outcome);
            }
        }
    }

    @Override
    public void outcome(String channel, DeliveryOutcome outcome) {
        counter(channel, switch (outcome.result()) {
            case DELIVERED -> "delivered";
            case DUPLICATE -> "duplicate";
            case UNDELIVERABLE -> "dead_lettered";
            case SKIPPED_UNCERTAIN -> "skipped_uncertain";
            case FENCED -> "fenced";
        }).increment();
    }

    /** {@code serin_notifier_queue_waiting{channel}}: deliveries waiting in each channel's lane. */
    public void registerQueues(Collection<String> channels, ToIntFunction<String> waiting) {
        for (String channel : channels) {
            Gauge.builder("serin.notifier.queue.waiting", () -> waiting.applyAsInt(channel))
                    .description("Deliveries waiting in the channel's queue; at serin.notifier.queue-capacity the "
                            + "notifier stops reading")
                    .tag("channel", channel)
                    .register(registry);
        }
    }

    @Override
    public void unrecorded(String channel, Duration window) {
        Timer.builder("serin.notifier.unrecorded.window")
                .description("From a platform's 2xx to the durable record of the delivery: a crash inside this "
                        + "window can double a message on a platform without idempotency keys")
                .tag("channel", channel)
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(window);
    }

    void skipped() {
        counter(NONE, "skipped").increment();
    }

    void unreadable() {
        counter(NONE, "dead_lettered").increment();
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("serin.notifier.deliveries")
                .description("Release events handled by the notifier, by channel and outcome")
                .tag("channel", channel)
                .tag("outcome", outcome)
                .register(registry);
    }
}
