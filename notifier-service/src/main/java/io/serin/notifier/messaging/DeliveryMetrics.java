package io.serin.notifier.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** {@code serin_notifier_deliveries_total{outcome}}, registered up front so dashboards see zeros. */
@Singleton
public class DeliveryMetrics {

    private final Counter delivered;
    private final Counter deadLettered;
    private final Counter skipped;

    DeliveryMetrics(MeterRegistry registry) {
        delivered = counter(registry, "delivered");
        deadLettered = counter(registry, "dead_lettered");
        skipped = counter(registry, "skipped");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("serin.notifier.deliveries")
                .description("Release events handled by the notifier, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    void delivered() {
        delivered.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void skipped() {
        skipped.increment();
    }
}
