package io.serin.analyzer.prometheus;

import io.serin.analyzer.analysis.StartChecks;
import io.serin.events.AnalysisCommand;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Learns which analyses run from {@value Topics#ANALYSIS_COMMANDS}, with a plain consumer in its
 * own group on its own thread: the Streams app's store is partitioned by the Streams group and
 * must not be read, let alone block, from here. The group splits the partitions, so each analysis
 * is polled by one instance.
 *
 * <p>Nothing is committed. Whenever partitions are assigned, the reader seeks to the commands
 * written since {@code now - lookback} (the longest analysis) and re-reads them: that is how
 * analyses still running survive a restart or move with their partition. Commands below the end
 * offset seen at assignment are marked recovered (see {@link Schedule}).
 */
final class CommandReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommandReader.class);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Schedule schedule;
    private final Function<AnalysisCommand.Start, List<Set<SeriesRef>>> plan;
    private final Started started;
    private final Clock clock;
    private final Duration lookback;
    private final Thread thread;
    /** Per partition: offsets below this were written before the assignment. */
    private final Map<Integer, Long> recoverBelow = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean assigned;

    CommandReader(String bootstrapServers, String groupId, Schedule schedule,
            Function<AnalysisCommand.Start, List<Set<SeriesRef>>> plan, Started started, Clock clock,
            Duration lookback) {
        this.schedule = schedule;
        this.plan = plan;
        this.started = started;
        this.clock = clock;
        this.lookback = lookback;
        this.consumer = KafkaClients.configured(bootstrapServers).consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a partition whose seek failed is read from the start: re-reading ended analyses is harmless
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "prometheus-source-commands");
        this.thread.setDaemon(true);
    }

    /** Told once per analysis, when the reader starts following it; must not block. */
    interface Started {

        /** @param recovered re-read after an assignment: the previous owner may have followed it already */
        void started(AnalysisCommand.Start start, boolean recovered);
    }

    void start() {
        thread.start();
    }

    /** True once the group has given this reader its partitions (possibly none) and it has sought. */
    boolean assigned() {
        return assigned;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.ANALYSIS_COMMANDS), new Rebalance());
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            handle(record);
                        } catch (RuntimeException e) {
                            // one command the source cannot follow must not cost the ones after it
                            LOG.errorf(e, "[%s] cannot follow the analysis command at %d/%d", record.key(),
                                    record.partition(), record.offset());
                        }
                    }
                } catch (WakeupException e) {
                    // close() asked us to stop
                } catch (RuntimeException e) {
                    LOG.errorf(e, "reading %s failed; retrying in %s", Topics.ANALYSIS_COMMANDS, RETRY);
                    pause();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        AnalysisCommand command;
        try {
            command = COMMANDS.decode(record.value()).data();
        } catch (InvalidMessageException e) {
            // the analyzer's stream dead-letters it; the source only needs to know it is no analysis
            LOG.debugf("[%s] ignoring unreadable analysis command at %d/%d: %s", record.key(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (!(command instanceof AnalysisCommand.Start start)) {
            return;
        }
        if (start.target() == null || start.target().namespace() == null || start.target().name() == null
                || StartChecks.problem(start) != null) {
            return; // the analyzer's stream answers it with an ERROR verdict
        }
        List<Set<SeriesRef>> groups = plan.apply(start);
        boolean recovered = record.offset() < recoverBelow.getOrDefault(record.partition(), Long.MAX_VALUE);
        if (schedule.track(start, record.partition(), groups, recovered, clock.instant())) {
            LOG.infof("[%s] polling Prometheus for analysis %s of %s until %s%s: %s", start.releaseId(),
                    start.analysisId(), start.target(), start.startAt().plus(start.duration()),
                    recovered ? " (recovered)" : "", groups);
            started.started(start, recovered);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, ADMIN_TIMEOUT);
                Map<TopicPartition, Long> since = new HashMap<>();
                long from = clock.millis() - lookback.toMillis();
                partitions.forEach(p -> since.put(p, from));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, ADMIN_TIMEOUT);
                for (TopicPartition p : partitions) {
                    OffsetAndTimestamp at = offsets.get(p);
                    consumer.seek(p, at == null ? ends.get(p) : at.offset());
                    recoverBelow.put(p.partition(), ends.get(p));
                }
                LOG.infof("Prometheus source reads analysis commands of partitions %s since %s",
                        partitions.stream().map(TopicPartition::partition).sorted().toList(),
                        Instant.ofEpochMilli(from));
            }
            assigned = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
            schedule.drop(numbers);
            numbers.forEach(recoverBelow::remove);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
