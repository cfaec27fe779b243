package io.serin.notifier.testing;

import io.serin.notifier.notify.DeliveryLog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A delivery log in memory whose writes of one outcome can be made to fail a number of times, as
 * a broker outage would; remembers every write in order, failed ones included.
 */
public final class ScriptedDeliveryLog implements DeliveryLog {

    private final MemoryDeliveryLog durable = new MemoryDeliveryLog();
    private final Map<Outcome, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<String> writes = new CopyOnWriteArrayList<>();

    /** The next {@code times} writes of {@code outcome} fail. */
    public ScriptedDeliveryLog failing(Outcome outcome, int times) {
        failures.put(outcome, new AtomicInteger(times));
        return this;
    }

    /** Pretends a previous run left {@code outcome} for this delivery. */
    public ScriptedDeliveryLog with(String channel, String eventId, Outcome outcome) {
        durable.record(channel, eventId, outcome);
        return this;
    }

    @Override
    public Optional<Outcome> outcome(String channel, String eventId) {
        return durable.outcome(channel, eventId);
    }

    @Override
    public void record(String channel, String eventId, Outcome outcome) {
        AtomicInteger left = failures.get(outcome);
        if (left != null && left.getAndDecrement() > 0) {
            writes.add("failed " + outcome + " " + channel + "/" + eventId);
            throw new IllegalStateException("broker unavailable (scripted)");
        }
        writes.add(outcome + " " + channel + "/" + eventId);
        durable.record(channel, eventId, outcome);
    }

    /** Every write attempt in order, e.g. {@code ATTEMPTING ops/rel-7-1}, {@code failed DELIVERED ops/rel-7-1}. */
    public List<String> writes() {
        return List.copyOf(writes);
    }

    public Map<String, Outcome> all() {
        return durable.all();
    }
}
