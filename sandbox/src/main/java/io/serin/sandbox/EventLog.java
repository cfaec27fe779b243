package io.serin.sandbox;

import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Follows {@value Topics#RELEASE_EVENTS} (committed records only) and keeps each release's log, as an
 * audit consumer should: by each event's sequence. A consumer reads a record again after a rebalance
 * (a broker restart, say) from its last committed offset; such a re-read has the sequence of an event
 * already kept and is dropped. A different event under a sequence already kept would break the log's
 * promise, and is kept aside in {@link #conflicts()}.
 */
final class EventLog implements AutoCloseable {

    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, java.util.NavigableMap<Long, ReleaseEvent>> byRelease = new ConcurrentHashMap<>();
    private final List<String> conflicts = new CopyOnWriteArrayList<>();
    private final List<Consumer<ReleaseEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    EventLog(String bootstrapServers) {
        consumer = KafkaClients.plaintext(bootstrapServers).consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "serin-sandbox-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RELEASE_EVENTS));
        thread = new Thread(this::run, "event-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ReleaseEvent event = EVENTS.decode(record.value()).data();
                    ReleaseEvent kept = byRelease.computeIfAbsent(event.releaseId(),
                            k -> new java.util.concurrent.ConcurrentSkipListMap<>()).putIfAbsent(event.sequence(), event);
                    if (kept == null) {
                        listeners.forEach(l -> l.accept(event));
                    } else if (!kept.equals(event)) {
                        conflicts.add(event.releaseId() + " #" + event.sequence() + ": " + kept + " and " + event);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    void onEvent(Consumer<ReleaseEvent> listener) {
        listeners.add(listener);
    }

    void remove(Consumer<ReleaseEvent> listener) {
        listeners.remove(listener);
    }

    /** The release's events so far, in log order. */
    List<ReleaseEvent> of(String releaseId) {
        var log = byRelease.get(releaseId);
        return log == null ? List.of() : new ArrayList<>(log.values());
    }

    /** Events read under a sequence that already held a different event (none, if the log keeps its promise). */
    List<String> conflicts() {
        return List.copyOf(conflicts);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
