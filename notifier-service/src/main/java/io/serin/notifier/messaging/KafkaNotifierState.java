package io.serin.notifier.messaging;

import io.serin.events.EventCodec;
import io.serin.kafka.KafkaClients;
import io.serin.notifier.config.NotifierConfig;
import io.serin.notifier.notify.DeliveryLog;
import io.serin.notifier.notify.ReleaseContext;
import io.serin.notifier.notify.ReleaseContexts;
import io.serin.notifier.notify.RetryPolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The notifier's memory, kept in two compacted topics it creates itself when missing:
 * {@code serin.notifier.deliveries} keyed {@code <channel>/<event id>} (what each channel has had,
 * including write-ahead {@code ATTEMPTING} records) and {@code serin.notifier.releases} keyed by
 * release id (what the notifier knows of a release).
 *
 * <p>Every instance tails both topics from the beginning into memory and writes through to them, so
 * a restarted instance, or one that takes over a partition from another, knows what was sent before.
 * Consumption waits for the tail to reach the topics' end ({@link #awaitCaughtUp}) on every partition
 * assignment, which is what makes a take-over safe. Memory forgets what the topics' retention would
 * delete. Why not Kafka Streams: the effect is an HTTP call per channel that may retry for a minute;
 * it must not run on, or block, a stream thread, and lanes per channel would escape the stream's
 * transaction anyway. A plain log of outcomes is the honest model.
 */
public final class KafkaNotifierState implements DeliveryLog, ReleaseContexts, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaNotifierState.class);
    private static final Duration EVICTION_PERIOD = Duration.ofMinutes(1);

    record Delivery(Outcome outcome, Instant at) {
    }

    private final NotifierConfig.State settings;
    private final RetryPolicy rememberBackoff;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> tail;
    private final Thread tailer;
    private final ScheduledExecutorService retries;
    private final Retained<Outcome> deliveries = new Retained<>();
    private final Retained<ReleaseContext> releases = new Retained<>();
    private volatile List<TopicPartition> partitions = List.of();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;

    private KafkaNotifierState(String bootstrapServers, NotifierConfig.State settings) {
        this.settings = settings;
        this.rememberBackoff = new RetryPolicy(Integer.MAX_VALUE, settings.retryBackoff(), settings.maxRetryBackoff());
        KafkaClients clients = KafkaClients.configured(bootstrapServers);
        this.admin = clients.admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        long write = settings.writeTimeout().toMillis();
        // A write that cannot be made durable must fail within writeTimeout (not the client's default of
        // two minutes), so the lane retries it and says so; the idempotent producer keeps each attempt whole.
        this.producer = clients.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, write / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) write,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, write,
                ProducerConfig.CLIENT_ID_CONFIG, "serin-notifier-state"),
                new StringSerializer(), new ByteArraySerializer());
        // read_committed: were a state write ever part of a transaction, an aborted one must not count
        this.tail = clients.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.CLIENT_ID_CONFIG, "serin-notifier-state-tail"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.tailer = new Thread(this::tailLoop, "serin-notifier-state");
        this.tailer.setDaemon(true);
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "serin-notifier-state-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Creates the topics if missing, reads them back to their end, and keeps following them. */
    public static KafkaNotifierState start(String bootstrapServers, NotifierConfig.State settings) {
        KafkaNotifierState state = new KafkaNotifierState(bootstrapServers, settings);
        try {
            long started = System.nanoTime();
            StateTopics.create(state.admin, settings);
            state.partitions = StateTopics.partitions(state.admin, settings);
            state.tail.assign(state.partitions);
            state.tail.seekToBeginning(state.partitions);
            state.tailer.start();
            state.awaitCaughtUp();
            LOG.infof("read back %d deliveries and %d releases from %s and %s in %d ms", state.deliveries.size(),
                    state.releases.size(), settings.deliveriesTopic(), settings.releasesTopic(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return state;
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    @Override
    public Optional<Outcome> outcome(String channel, String eventId) {
        return deliveries.get(deliveryKey(channel, eventId));
    }

    @Override
    public void record(String channel, String eventId, Outcome outcome) throws InterruptedException {
        String key = deliveryKey(channel, eventId);
        Instant now = Instant.now();
        byte[] value = EventCodec.writeValue(new Delivery(outcome, now));
        if (!running) {
            throw new IllegalStateException("the notifier state is closed; cannot record " + outcome + " for " + key);
        }
        try {
            producer.send(new ProducerRecord<>(settings.deliveriesTopic(), key, value))
                    .get(settings.writeTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot record " + outcome + " for " + key + " on "
                    + settings.deliveriesTopic() + ": " + cause);
        }
        deliveries.put(key, outcome, now);
    }

    @Override
    public Optional<ReleaseContext> get(String releaseId) {
        return releases.get(releaseId);
    }

    /** Completes once the context is durable, however long the broker takes to come back; fails only on close. */
    @Override
    public CompletionStage<Void> put(ReleaseContext context) {
        releases.merge(context.releaseId(), context, Instant.now(), KafkaNotifierState::newer);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        remember(context, durable, 1);
        return durable;
    }

    private void remember(ReleaseContext context, CompletableFuture<Void> durable, int attempt) {
        if (!running) {
            durable.completeExceptionally(new IllegalStateException("closed before release " + context.releaseId()
                    + " was remembered on " + settings.releasesTopic()));
            return;
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.releasesTopic(), context.releaseId(),
                EventCodec.writeValue(context));
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    durable.complete(null);
                } else {
                    retryRemember(context, durable, attempt, error);
                }
            });
        } catch (RuntimeException e) {
            retryRemember(context, durable, attempt, e);
        }
    }

    private void retryRemember(ReleaseContext context, CompletableFuture<Void> durable, int attempt, Throwable error) {
        if (attempt == 1) {
            LOG.warnf("cannot remember release %s on %s yet, retrying until it is durable: %s", context.releaseId(),
                    settings.releasesTopic(), error);
        }
        try {
            retries.schedule(() -> remember(context, durable, attempt + 1),
                    rememberBackoff.backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            durable.completeExceptionally(new IllegalStateException("closed before release " + context.releaseId()
                    + " was remembered: " + error));
        }
    }

    /**
     * Blocks until everything committed to the state topics before this call has been read back:
     * after this, the memory includes what any other instance recorded for partitions it gave up.
     */
    public void awaitCaughtUp() {
        Map<TopicPartition, Long> ends;
        try {
            ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                                    p -> OffsetSpec.latest())), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(settings.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the notifier state back");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of the notifier state: " + e);
        }
        Instant deadline = Instant.now().plus(settings.catchUpTimeout());
        while (!caughtUp(ends)) {
            if (!running || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the notifier state was not read back within "
                        + settings.catchUpTimeout() + " (at " + positions + ", end " + ends + ")");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the notifier state back");
            }
        }
    }

    /** Forgets what was last written before {@code cutoff}, as the topics' retention will. */
    void evictOlderThan(Instant cutoff) {
        int forgotten = deliveries.evictOlderThan(cutoff) + releases.evictOlderThan(cutoff);
        if (forgotten > 0) {
            LOG.debugf("forgot %d deliveries and releases last written before %s", forgotten, cutoff);
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> at = positions;
        return ends.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void tailLoop() {
        Instant nextEviction = Instant.now().plus(EVICTION_PERIOD);
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : tail.poll(Duration.ofMillis(50))) {
                    apply(record);
                }
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition p : tail.assignment()) {
                    now.put(p, tail.position(p));
                }
                positions = Map.copyOf(now);
                if (Instant.now().isAfter(nextEviction)) {
                    evictOlderThan(Instant.now().minus(settings.retention()));
                    nextEviction = Instant.now().plus(EVICTION_PERIOD);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "stopped following the notifier state");
            running = false;
        } finally {
            tail.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        try {
            if (record.topic().equals(settings.deliveriesTopic())) {
                if (record.value() == null) {
                    deliveries.remove(record.key());
                } else {
                    deliveries.put(record.key(), EventCodec.readValue(record.value(), Delivery.class).outcome(),
                            Instant.ofEpochMilli(record.timestamp()));
                }
            } else if (record.value() == null) {
                releases.remove(record.key());
            } else {
                releases.merge(record.key(), EventCodec.readValue(record.value(), ReleaseContext.class),
                        Instant.ofEpochMilli(record.timestamp()), KafkaNotifierState::newer);
            }
        } catch (RuntimeException e) {
            // one unreadable state record must not cost the rest: worst case, one duplicate message
            LOG.warnf("ignoring unreadable state record %s/%d/%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static ReleaseContext newer(ReleaseContext current, ReleaseContext candidate) {
        return candidate.sequence() >= current.sequence() ? candidate : current;
    }

    static String deliveryKey(String channel, String eventId) {
        return channel + "/" + eventId;
    }

    @Override
    public void close() {
        running = false;
        retries.shutdownNow();
        tail.wakeup();
        try {
            if (tailer.isAlive()) {
                tailer.join(5_000);
            } else if (tailer.getState() == Thread.State.NEW) {
                tail.close(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
