package io.serin.sandbox;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.Topics;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the planner talks to, played by the benchmark over Kafka: the operator ({@code
 * promote}), the executor (every SetCanaryWeight succeeds) and the analyzer (every analysis is
 * SUCCESSFUL). It reads commands and events as the executor and analyzer would ({@code
 * read_committed}) and times each command against the input that led to it.
 */
final class PlannerBenchStandIns implements AutoCloseable {

    /** The inputs whose latency is measured: each leads to exactly one command. */
    enum Kind {
        ACTION("operator `promote` (serin.release.requests) → SetCanaryWeight"),
        RESULT_TO_ANALYSIS("executor result → analysis start (serin.analysis.commands)"),
        VERDICT("analysis verdict (SUCCESSFUL) → SetCanaryWeight"),
        TIMER("timed pause due (`resumeAt`) → SetCanaryWeight"),
        RESULT_TO_COMMAND("executor result → SetCanaryWeight");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /**
     * Where a release holds, by step index (see {@link PlannerBenchRun#steps}): after admission, at its
     * round's timed pause, and after its round.
     */
    static final int HELD_STEP = 1;
    static final int TIMED_PAUSE_STEP = 5;
    static final int HELD_AGAIN_STEP = 8;

    /** What one phase measured; latencies in microseconds. */
    record Measurements(Map<Kind, PlannerBenchStats> visible, Map<Kind, PlannerBenchStats> processed,
            PlannerBenchStats acked, PlannerBenchStats appended) {

        static Measurements empty() {
            Map<Kind, PlannerBenchStats> visible = new EnumMap<>(Kind.class);
            Map<Kind, PlannerBenchStats> processed = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                visible.put(kind, new PlannerBenchStats());
                processed.put(kind, new PlannerBenchStats());
            }
            return new Measurements(visible, processed, new PlannerBenchStats(), new PlannerBenchStats());
        }
    }

    /** The input sent last for a release, when, and the command it must lead to (a weight; 0: analysis). */
    private record Trigger(Kind kind, long atMicros, int expectedWeight) {
    }

    private static final URI SOURCE = URI.create("urn:serin:planner-bench");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final EventCodec<AnalysisCommand> ANALYSES = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);
    private static final Set<String> ROUTINE_EVENTS = Set.of("io.serin.release.accepted.v1",
            "io.serin.release.step-started.v1", "io.serin.release.step-completed.v1",
            "io.serin.release.analysis-completed.v1", "io.serin.release.resumed.v1",
            "io.serin.release.action-applied.v1");
    private static final byte[] TYPE_FIELD = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);

    private final PlannerBenchRig rig;
    private final int minAnswerMillis;
    private final int maxAnswerMillis;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread consumerThread;
    private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "planner-bench-answers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Trigger> pending = new ConcurrentHashMap<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final Set<String> warmup = ConcurrentHashMap.newKeySet();
    private final AtomicInteger roundsDone = new AtomicInteger();
    private final List<String> anomalies = new CopyOnWriteArrayList<>();
    private final AtomicInteger anomalyCount = new AtomicInteger();
    private volatile Measurements measurements = Measurements.empty();
    /** With {@code serin.bench.trace-appends}: when each command was first readable uncommitted, by release/weight. */
    private final Map<String, Long> appendedAt = new ConcurrentHashMap<>();
    private final Thread appendTracer;
    private volatile boolean answerAtOnce = true;
    private volatile long lastAdmittedMicros;
    private volatile boolean running = true;

    /**
     * @param minAnswerMillis in a round, a command is answered this long after it is read at the
     *                        earliest ...
     * @param maxAnswerMillis ... and at the latest (uniformly), so inputs do not arrive in step with
     *                        the planner's commits; during admission commands are answered at once
     */
    PlannerBenchStandIns(PlannerBenchRig rig, int minAnswerMillis, int maxAnswerMillis) {
        this.rig = rig;
        this.minAnswerMillis = minAnswerMillis;
        this.maxAnswerMillis = maxAnswerMillis;
        // read_committed, as the executor and analyzer read: a command counts once its transaction commits
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.getInteger("serin.bench.fetch-max-wait-ms", 500),
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.EXECUTOR_COMMANDS, Topics.ANALYSIS_COMMANDS, Topics.RELEASE_EVENTS)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumerThread = new Thread(this::consume, "planner-bench-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
        appendTracer = Boolean.getBoolean("serin.bench.trace-appends") ? traceAppends() : null;
    }

    /**
     * Diagnosis only: a second consumer, {@code read_uncommitted}, notes when each command reaches the
     * log, so that the wait for the commit can be told from the rest.
     */
    private Thread traceAppends() {
        Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> raw = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.EXECUTOR_COMMANDS, Topics.ANALYSIS_COMMANDS)) {
                    raw.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                raw.assign(partitions);
                raw.seekToBeginning(partitions);
                while (running) {
                    var records = raw.poll(Duration.ofMillis(100));
                    long polledAt = nowMicros();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        int weight = 0;
                        if (record.topic().equals(Topics.EXECUTOR_COMMANDS)
                                && COMMANDS.decode(record.value()).data() instanceof ExecutorCommand.SetCanaryWeight set) {
                            weight = set.weight();
                        }
                        appendedAt.put(record.key() + "/" + weight, polledAt);
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                // closing
            }
        }, "planner-bench-append-tracer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Releases whose first pause (until promoted) has been read. */
    int admitted() {
        return admitted.size();
    }

    /** When the last release's first pause was read (epoch µs). */
    long lastAdmittedMicros() {
        return lastAdmittedMicros;
    }

    /** From now on, commands are answered after the answer delay instead of at once. */
    void answerLater() {
        answerAtOnce = false;
    }

    /** Starts measuring afresh (a new phase) and returns where this phase's figures go. */
    Measurements startPhase() {
        roundsDone.set(0);
        measurements = Measurements.empty();
        return measurements;
    }

    int roundsDone() {
        return roundsDone.get();
    }

    int unanswered() {
        return pending.size();
    }

    /** Starts a round on {@code releaseId}: the operator promotes it past its pause. */
    void promote(String releaseId, boolean warmupRound) {
        if (warmupRound) {
            warmup.add(releaseId);
        }
        ReleaseActionRequested promote = new ReleaseActionRequested(releaseId, UUID.randomUUID().toString(),
                ReleaseAction.PROMOTE, "bench-operator", null);
        byte[] value = REQUESTS.encode(CloudEvent.of(SOURCE, releaseId, Instant.now(), promote));
        pending.put(releaseId, new Trigger(Kind.ACTION, nowMicros(), 2));
        rig.send(Topics.RELEASE_REQUESTS, releaseId, value, timed(releaseId));
    }

    /** Publishes a release request, as CI would. */
    static byte[] request(io.serin.events.ReleaseRequested request) {
        return REQUESTS.encode(CloudEvent.of(SOURCE, request.releaseId(), Instant.now(), request));
    }

    /** Anything that did not go as a round should (the first ten). */
    List<String> anomalies() {
        if (!pending.isEmpty()) {
            anomaly(pending.size() + " inputs led to no command");
        }
        return List.copyOf(anomalies.subList(0, Math.min(10, anomalies.size())));
    }

    private void consume() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long polledAt = nowMicros();
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        switch (record.topic()) {
                            case Topics.EXECUTOR_COMMANDS -> onCommand(record, polledAt);
                            case Topics.ANALYSIS_COMMANDS -> onAnalysis(record, polledAt);
                            case Topics.RELEASE_EVENTS -> onEvent(record, polledAt);
                            default -> anomaly("record from " + record.topic());
                        }
                    } catch (RuntimeException e) {
                        anomaly("cannot handle " + record.topic() + " record for " + record.key() + ": " + e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void onCommand(ConsumerRecord<String, byte[]> record, long polledAt) {
        ExecutorCommand command = COMMANDS.decode(record.value()).data();
        if (!(command instanceof ExecutorCommand.SetCanaryWeight set)) {
            anomaly("unexpected command " + command.getClass().getSimpleName() + " for " + command.releaseId());
            return;
        }
        measure(set.releaseId(), set.weight(), record.timestamp(), polledAt);
        switch (set.weight()) {
            case 1, 3, 5 -> answer(() -> result(set, null, 0));
            case 2 -> answer(() -> result(set, Kind.RESULT_TO_ANALYSIS, 0));
            case 4 -> answer(() -> result(set, Kind.RESULT_TO_COMMAND, 5));
            default -> anomaly("unexpected weight " + set.weight() + " for " + set.releaseId());
        }
    }

    private void onAnalysis(ConsumerRecord<String, byte[]> record, long polledAt) {
        AnalysisCommand.Start start = (AnalysisCommand.Start) ANALYSES.decode(record.value()).data();
        measure(start.releaseId(), 0, record.timestamp(), polledAt);
        answer(() -> {
            Instant now = Instant.now();
            byte[] value = VERDICTS.encode(CloudEvent.withId(start.analysisId() + "/verdict", SOURCE,
                    start.releaseId(), now, new AnalysisVerdict(start.analysisId(), start.releaseId(),
                            Verdict.SUCCESSFUL, "bench analyzer", now, List.of())));
            pending.put(start.releaseId(), new Trigger(Kind.VERDICT, nowMicros(), 3));
            rig.send(Topics.ANALYSIS_VERDICTS, start.releaseId(), value, timed(start.releaseId()));
        });
    }

    private void onEvent(ConsumerRecord<String, byte[]> record, long polledAt) {
        // The benchmark shares the machine with the planner: decode only the events it acts on or
        // reports (about one in six), not the steps' routine progress.
        if (ROUTINE_EVENTS.contains(envelopeType(record.value()))) {
            return;
        }
        ReleaseEvent event = EVENTS.decode(record.value()).data();
        if (event instanceof ReleaseEvent.Paused paused) {
            if (paused.stepIndex() == HELD_STEP) {
                if (admitted.add(paused.releaseId())) {
                    lastAdmittedMicros = polledAt;
                }
            } else if (paused.stepIndex() == TIMED_PAUSE_STEP && paused.resumeAt() != null) {
                pending.put(paused.releaseId(), new Trigger(Kind.TIMER, micros(paused.resumeAt()), 4));
            } else if (paused.stepIndex() == HELD_AGAIN_STEP) {
                roundsDone.incrementAndGet();
            } else {
                anomaly("paused at step " + paused.stepIndex() + ": " + paused.releaseId() + " (" + paused.reason()
                        + ")");
            }
        } else if (event instanceof ReleaseEvent.Rejected || event instanceof ReleaseEvent.Failed
                || event instanceof ReleaseEvent.RollbackStarted || event instanceof ReleaseEvent.ActionRejected
                || event instanceof ReleaseEvent.RequestRefused
                || event instanceof ReleaseEvent.Queued) {
            anomaly(event.getClass().getSimpleName() + " for " + event.releaseId() + ": " + event);
        }
    }

    /** The CloudEvent's {@code type}: the first "type" in the JSON, since the envelope's fields precede its data. */
    private static String envelopeType(byte[] json) {
        outer:
        for (int i = 0; i + TYPE_FIELD.length < json.length; i++) {
            for (int j = 0; j < TYPE_FIELD.length; j++) {
                if (json[i + j] != TYPE_FIELD[j]) {
                    continue outer;
                }
            }
            int from = i + TYPE_FIELD.length;
            int to = from;
            while (to < json.length && json[to] != '"') {
                to++;
            }
            return new String(json, from, to - from, StandardCharsets.US_ASCII);
        }
        return "";
    }

    /** Times the command the last input for the release led to. */
    private void measure(String releaseId, int weight, long createTimeMillis, long polledAt) {
        Trigger trigger = pending.remove(releaseId);
        if (trigger == null) {
            if (weight != 1) {
                anomaly("command (weight " + weight + ") for " + releaseId + " that no measured input asked for");
            }
            return;
        }
        if (trigger.expectedWeight() != weight) {
            anomaly(trigger.kind() + " for " + releaseId + " led to weight " + weight + ", not "
                    + trigger.expectedWeight());
            return;
        }
        Long appended = appendTracer == null ? null : appendedAt.remove(releaseId + "/" + weight);
        if (!warmup.contains(releaseId)) {
            Measurements m = measurements;
            m.visible().get(trigger.kind()).add(polledAt - trigger.atMicros());
            m.processed().get(trigger.kind()).add(createTimeMillis * 1000 - trigger.atMicros());
            if (appended != null && trigger.kind() != Kind.TIMER) {
                m.appended().add(appended - trigger.atMicros());
            }
        }
    }

    private void result(ExecutorCommand.SetCanaryWeight set, Kind kind, int nextWeight) {
        Instant now = Instant.now();
        ExecutorResult result = new ExecutorResult.Succeeded(set.commandId(), set.releaseId(), now,
                "bench executor: weight " + set.weight(), new TrafficState(set.weight(), 1, 9));
        byte[] value = RESULTS.encode(CloudEvent.withId(set.commandId() + "/result", SOURCE, set.releaseId(), now,
                result));
        if (kind != null) {
            pending.put(set.releaseId(), new Trigger(kind, nowMicros(), nextWeight));
        }
        rig.send(Topics.EXECUTOR_RESULTS, set.releaseId(), value, kind == null ? null : timed(set.releaseId()));
    }

    /** Where the broker's ack time of a timed input goes; null for warm-up rounds and admission. */
    private PlannerBenchStats timed(String releaseId) {
        return answerAtOnce || warmup.contains(releaseId) ? null : measurements.acked();
    }

    private void answer(Runnable send) {
        if (answerAtOnce) {
            send.run();
        } else {
            answers.schedule(send, ThreadLocalRandom.current().nextInt(minAnswerMillis, maxAnswerMillis + 1),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void anomaly(String what) {
        if (anomalyCount.incrementAndGet() <= 100) {
            anomalies.add(what);
            System.err.println("planner bench: " + what);
        }
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        answers.shutdownNow();
        try {
            if (appendTracer != null) {
                appendTracer.interrupt();
                appendTracer.join(5_000);
            }
            consumerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
