package io.serin.notifier.testing;

import io.serin.notifier.notify.DeliveryLog;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A delivery log in memory, for tests of the layers above Kafka. */
public final class MemoryDeliveryLog implements DeliveryLog {

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    @Override
    public Optional<Outcome> outcome(String channel, String eventId) {
        return Optional.ofNullable(outcomes.get(channel + "/" + eventId));
    }

    @Override
    public void record(String channel, String eventId, Outcome outcome) {
        outcomes.put(channel + "/" + eventId, outcome);
    }

    public Map<String, Outcome> all() {
        return Map.copyOf(outcomes);
    }
}
