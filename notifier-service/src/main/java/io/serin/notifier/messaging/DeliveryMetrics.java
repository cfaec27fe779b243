package io.serin.notifier.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.serin.notifier.notify.DeliveryListener;
import io.serin.notifier.notify.DeliveryOutcome;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.List;

/**
 * {@code serin_notifier_deliveries_total{channel, outcome}}: delivered, duplicate (already had it),
 * dead_lettered, and skipped (no channel wanted the event; channel {@value #NONE}). Registered up
 * front for every configured channel so dashboards and alerts see zeros.
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
            for (String outcome : new String[] {"delivered", "duplicate", "dead_lettered", "skipped"}) {
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
        }).increment();
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
