package io.serin.notifier.messaging;

import io.serin.events.EventCodec;
import io.serin.notifier.config.NotifierConfig;
import io.serin.notifier.notify.DeliveryLog;
import io.serin.notifier.notify.ReleaseContext;
import io.serin.notifier.notify.ReleaseContexts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The notifier's memory, kept in two compacted topics it creates itself when missing:
 * {@code serin.notifier.deliveries} keyed {@code <channel>/<event id>} (what each channel has had)
 * and {@code serin.notifier.releases} keyed by release id (what the notifier knows of a release).
 *
 * <p>Every instance tails both topics from the beginning into memory and writes through to them, so
 * a restarted instance, or one that takes over a partition from another, knows what was sent before.
 * Consumption waits for the tail to reach the topics' end ({@link #awaitCaughtUp}) on every partition
 * assignment, which is what makes a take-over safe. Why not Kafka Streams: the effect is an HTTP call
 * per channel that may retry for a minute; it must not run on, or block, a stream thread, and lanes per
 * channel would escape the stream's transaction anyway. A plain log of outcomes is the honest model.
 */
public final class KafkaNotifierState implements DeliveryLog, ReleaseContexts, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaNotifierState.class);

    record Delivery(Outcome outcome, Instant at) {
    }

    private final NotifierConfig.State settings;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> tail;
    private final Thread tailer;
    private final Map<String, Outcome> deliveries = new ConcurrentHashMap<>();
    private final Map<String, ReleaseContext> releases = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;

    private KafkaNotifierState(String bootstrapServers, NotifierConfig.State settings) {
        this.settings = settings;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "serin-notifier-state"),
                new StringSerializer(), new ByteArraySerializer());
        this.tail = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "serin-notifier-state-tail"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.tailer = new Thread(this::tailLoop, "serin-notifier-state");
        this.tailer.setDaemon(true);
    }

    /** Creates the topics if missing, reads them back to their end, and keeps following them. */
    public static KafkaNotifierState start(String bootstrapServers, NotifierConfig.State settings) {
        KafkaNotifierState state = new KafkaNotifierState(bootstrapServers, settings);
        try {
            state.createTopics();
            List<TopicPartition> partitions = state.partitions();
            state.tail.assign(partitions);
            state.tail.seekToBeginning(partitions);
            state.tailer.start();
            state.awaitCaughtUp();
            LOG.infof("read back %d deliveries and %d releases from %s and %s", state.deliveries.size(),
                    state.releases.size(), settings.deliveriesTopic(), settings.releasesTopic());
            return state;
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    @Override
    public Optional<Outcome> outcome(String channel, String eventId) {
        return Optional.ofNullable(deliveries.get(deliveryKey(channel, eventId)));
    }

    @Override
    public void record(String channel, String eventId, Outcome outcome) throws InterruptedException {
        String key = deliveryKey(channel, eventId);
        byte[] value = EventCodec.writeValue(new Delivery(outcome, Instant.now()));
        try {
            producer.send(new ProducerRecord<>(settings.deliveriesTopic(), key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot record delivery " + key + " on " + settings.deliveriesTopic()
                    + ": " + (e.getCause() != null ? e.getCause() : e));
        }
        deliveries.put(key, outcome);
    }

    @Override
    public Optional<ReleaseContext> get(String releaseId) {
        return Optional.ofNullable(releases.get(releaseId));
    }

    @Override
    public CompletionStage<Void> put(ReleaseContext context) {
        releases.merge(context.releaseId(), context, KafkaNotifierState::newer);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(settings.releasesTopic(), context.releaseId(),
                EventCodec.writeValue(context)), (metadata, error) -> {
                    if (error != null) {
                        durable.completeExceptionally(new IllegalStateException("cannot remember release "
                                + context.releaseId() + " on " + settings.releasesTopic() + ": " + error));
                    } else {
                        durable.complete(null);
                    }
                });
        return durable;
    }

    /**
     * Blocks until everything written to the state topics before this call has been read back:
     * after this, the memory includes what any other instance recorded for partitions it gave up.
     */
    public void awaitCaughtUp() {
        Map<TopicPartition, Long> ends;
        try {
            ends = admin.listOffsets(partitions().stream().collect(Collectors.toMap(Function.identity(),
                            p -> OffsetSpec.latest()))).all().get(settings.catchUpTimeout().toMillis(),
                            TimeUnit.MILLISECONDS)
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
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the notifier state back");
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> at = positions;
        return ends.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void tailLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : tail.poll(Duration.ofMillis(100))) {
                    apply(record);
                }
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition p : tail.assignment()) {
                    now.put(p, tail.position(p));
                }
                positions = Map.copyOf(now);
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
                    deliveries.put(record.key(), EventCodec.readValue(record.value(), Delivery.class).outcome());
                }
            } else if (record.value() == null) {
                releases.remove(record.key());
            } else {
                releases.merge(record.key(), EventCodec.readValue(record.value(), ReleaseContext.class),
                        KafkaNotifierState::newer);
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

    private void createTopics() {
        Map<String, String> configs = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.retention().toMillis()));
        List<NewTopic> topics = List.of(settings.deliveriesTopic(), settings.releasesTopic()).stream()
                .map(t -> new NewTopic(t, settings.partitions(), settings.replicationFactor()).configs(configs))
                .toList();
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                created.get(30, TimeUnit.SECONDS);
                LOG.infof("created state topic %s", name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create state topic " + name + ": " + e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating state topic " + name);
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot create state topic " + name + ": timed out");
            }
        });
    }

    /** The state topics' partitions; right after creation the metadata may lag, so this waits for it. */
    private List<TopicPartition> partitions() {
        Instant deadline = Instant.now().plus(settings.catchUpTimeout());
        while (true) {
            try {
                return admin.describeTopics(List.of(settings.deliveriesTopic(), settings.releasesTopic()))
                        .allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                        .toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing the state topics");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot describe the state topics: " + e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot describe the state topics: timed out");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing the state topics");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        tail.wakeup();
        try {
            if (tailer.isAlive()) {
                tailer.join(5_000);
            } else if (!tailer.isAlive() && tailer.getState() == Thread.State.NEW) {
                tail.close(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
