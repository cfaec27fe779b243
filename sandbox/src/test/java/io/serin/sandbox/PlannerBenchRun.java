package io.serin.sandbox;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One measured run against a fresh {@link PlannerBenchRig}. The benchmark plays CI (release
 * requests), the operator ({@code promote}), the executor (every SetCanaryWeight succeeds) and the
 * analyzer (every analysis is SUCCESSFUL). First N canary releases are admitted until each holds at
 * an indefinite pause; then, with all N active, rounds start at a steady rate, each on a release of
 * its own, and every input of a round is timed to the command it leads to.
 */
final class PlannerBenchRun implements AutoCloseable {

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
     * Step 0 is admitted; step 1 holds every release. A round (steps 2–8) goes promote → weight 2 →
     * analysis → weight 3 → timed pause → weight 4 → weight 5 → hold again, so a release that ran a
     * round is still active.
     */
    static final int HELD_STEP = 1;
    static final int TIMED_PAUSE_STEP = 5;
    static final int HELD_AGAIN_STEP = 8;

    /** What every release runs; {@code timedPause} is the pause whose timer is measured. */
    static List<CanaryStep> steps(Duration timedPause) {
        return List.of(new CanaryStep.SetWeight(1), new CanaryStep.Pause(null), new CanaryStep.SetWeight(2),
                new CanaryStep.Analysis(Duration.ofMinutes(10), List.of(Scenario.errorRate())),
                new CanaryStep.SetWeight(3), new CanaryStep.Pause(timedPause), new CanaryStep.SetWeight(4),
                new CanaryStep.SetWeight(5), new CanaryStep.Pause(null));
    }

    /** The input sent last for a release, when, and the command it must lead to (a weight; 0: analysis). */
    private record Trigger(Kind kind, long atMicros, int expectedWeight) {
    }

    /** Figures of one run: admission, then one {@link Phase} per rate. */
    record Result(int releases, double admissionSeconds, int heldAfterAdmission, long rssAfterAdmissionKb,
            List<Phase> phases, int heldAtEnd, long rssEndKb, long hwmKb, String heapEnd,
            String loadStart, String loadAfterAdmission, List<String> anomalies) {
    }

    /** Rounds at one rate; latencies in microseconds. */
    record Phase(double rate, int rounds, int warmupRounds, int roundsDone, double steadySeconds,
            Map<Kind, PlannerBenchStats> visible, Map<Kind, PlannerBenchStats> processed, PlannerBenchStats acked,
            double plannerCores, double brokerCores, double benchCores, double otherCores, String loadEnd,
            Map<String, Double> streamThread) {
    }

    private static final URI SOURCE = URI.create("urn:serin:planner-bench");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final EventCodec<AnalysisCommand> ANALYSES = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);

    private final PlannerBenchRig rig;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread consumerThread;
    private final ScheduledExecutorService standIns = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "planner-bench-stand-ins");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Trigger> pending = new ConcurrentHashMap<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final Set<String> warmup = ConcurrentHashMap.newKeySet();
    private final AtomicInteger roundsDone = new AtomicInteger();
    private volatile Map<Kind, PlannerBenchStats> visible = stats();
    private volatile Map<Kind, PlannerBenchStats> processed = stats();
    private volatile PlannerBenchStats acked = new PlannerBenchStats();
    private final List<String> anomalies = new CopyOnWriteArrayList<>();
    private final AtomicInteger anomalyCount = new AtomicInteger();
    private final int minAnswerMillis;
    private final double quietCores;
    private final Duration quietWait;
    private final int maxAnswerMillis;
    private volatile boolean answerAtOnce = true;
    private volatile long lastAdmittedMicros;
    private volatile boolean running = true;

    /**
     * @param minAnswerMillis the stand-ins answer a command of a round this long after reading it at
     *                        the earliest ...
     * @param maxAnswerMillis ... and at the latest (uniformly), so inputs do not arrive in lockstep
     *                        with the planner's commits; during admission they answer at once
     */
    PlannerBenchRun(PlannerBenchRig rig, int minAnswerMillis, int maxAnswerMillis, double quietCores,
            Duration quietWait) {
        this.rig = rig;
        this.quietCores = quietCores;
        this.quietWait = quietWait;
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
    }

    /**
     * Admits {@code releases} releases, then runs one phase of rounds per rate in {@code rates}, each
     * on releases no earlier phase used.
     */
    Result run(int releases, List<Double> rates, int seconds, int warmupSeconds, Duration timedPause)
            throws InterruptedException {
        int needed = rates.stream().mapToInt(r -> (int) Math.round(r * (seconds + warmupSeconds))).sum();
        if (needed > releases) {
            throw new IllegalArgumentException(needed + " rounds need as many releases; only " + releases
                    + " are admitted: lower the rates or the duration, or admit more");
        }
        long plannerPid = rig.plannerPid();
        awaitQuiet();
        String loadStart = PlannerBenchProc.loadAverage();
        List<String> ids = new ArrayList<>(releases);
        List<byte[]> requests = new ArrayList<>(releases);
        List<CanaryStep> steps = steps(timedPause);
        for (int i = 0; i < releases; i++) {
            String id = String.format(Locale.ROOT, "bench-%06d", i);
            ids.add(id);
            requests.add(REQUESTS.encode(CloudEvent.of(SOURCE, id, Instant.now(), request(id, i, steps))));
        }

        // The first release goes alone: once it holds, the planner has its partitions and is warm
        // enough to start the clock (readiness does not wait for the consumer group's assignment).
        rig.send(Topics.RELEASE_REQUESTS, ids.get(0), requests.get(0), null);
        awaitOrFail(() -> admitted.size() == 1, Duration.ofSeconds(120), () -> "the first release is not admitted");
        System.out.printf(Locale.ROOT, "admitting %d more releases%n", releases - 1);
        long admissionStart = nowMicros();
        for (int i = 1; i < releases; i++) {
            rig.send(Topics.RELEASE_REQUESTS, ids.get(i), requests.get(i), null);
        }
        rig.flush();
        requests.clear();
        awaitOrFail(() -> admitted.size() == releases, Duration.ofSeconds(120 + releases / 20),
                () -> admitted.size() + " of " + releases + " releases reached their pause");
        double admissionSeconds = (lastAdmittedMicros - admissionStart) / 1e6;
        System.out.printf(Locale.ROOT, "admitted %d releases in %.1f s (%.0f/s)%n", releases - 1, admissionSeconds,
                (releases - 1) / admissionSeconds);
        int heldAfterAdmission = rig.countInPhase(ids, "PAUSED");
        System.out.printf(Locale.ROOT, "REST API: %d of %d releases PAUSED%n", heldAfterAdmission, releases);
        String loadAfterAdmission = PlannerBenchProc.loadAverage();
        long rssAfterAdmission = PlannerBenchProc.statusKb(plannerPid, "VmRSS");

        answerAtOnce = false;
        List<Phase> phases = new ArrayList<>();
        int next = 0;
        for (double rate : rates) {
            int rounds = (int) Math.round(rate * (seconds + warmupSeconds));
            phases.add(phase(ids.subList(next, next + rounds), rate, (int) Math.round(rate * warmupSeconds)));
            next += rounds;
        }

        int heldAtEnd = rig.countInPhase(ids, "PAUSED");
        System.out.printf(Locale.ROOT, "REST API after the rounds: %d of %d releases PAUSED%n", heldAtEnd, releases);
        if (!pending.isEmpty()) {
            anomaly(pending.size() + " inputs led to no command");
        }
        return new Result(releases, admissionSeconds, heldAfterAdmission, rssAfterAdmission, phases,
                heldAtEnd, PlannerBenchProc.statusKb(plannerPid, "VmRSS"), PlannerBenchProc.statusKb(plannerPid, "VmHWM"),
                PlannerBenchProc.heapInfo(plannerPid), loadStart, loadAfterAdmission,
                List.copyOf(anomalies.subList(0, Math.min(10, anomalies.size()))));
    }

    /** Starts one round per release of {@code ids} at {@code rate} per second and waits until all are done. */
    private Phase phase(List<String> ids, double rate, int warmupRounds) throws InterruptedException {
        int rounds = ids.size();
        awaitQuiet();
        System.out.printf(Locale.ROOT, "rounds: %d at %.0f/s (first %d are warm-up)%n", rounds, rate, warmupRounds);
        visible = stats();
        processed = stats();
        acked = new PlannerBenchStats();
        roundsDone.set(0);
        long plannerPid = rig.plannerPid();
        long plannerCpu0 = PlannerBenchProc.cpuMillis(plannerPid);
        long brokerCpu0 = PlannerBenchProc.cpuMillis(rig.brokerPid());
        long benchCpu0 = PlannerBenchProc.cpuMillis(ProcessHandle.current().pid());
        long machine0 = PlannerBenchProc.machineBusyMillis();
        long start = System.nanoTime();
        long steadyStart = start;
        for (int k = 0; k < rounds; k++) {
            long due = start + (long) (k * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (k == warmupRounds) {
                steadyStart = System.nanoTime();
            }
            String id = ids.get(k);
            if (k < warmupRounds) {
                warmup.add(id);
            }
            ReleaseActionRequested promote = new ReleaseActionRequested(id, UUID.randomUUID().toString(),
                    ReleaseAction.PROMOTE, "bench-operator", null);
            byte[] value = REQUESTS.encode(CloudEvent.of(SOURCE, id, Instant.now(), promote));
            pending.put(id, new Trigger(Kind.ACTION, nowMicros(), 2));
            rig.send(Topics.RELEASE_REQUESTS, id, value, warmup.contains(id) ? null : acked);
        }
        double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
        awaitOrFail(() -> roundsDone.get() == rounds, Duration.ofSeconds(180),
                () -> roundsDone.get() + " of " + rounds + " rounds done; " + pending.size() + " inputs unanswered");
        double wall = (System.nanoTime() - start) / 1e6;
        long planner = PlannerBenchProc.cpuMillis(plannerPid) - plannerCpu0;
        long broker = PlannerBenchProc.cpuMillis(rig.brokerPid()) - brokerCpu0;
        long bench = PlannerBenchProc.cpuMillis(ProcessHandle.current().pid()) - benchCpu0;
        long machine = PlannerBenchProc.machineBusyMillis() - machine0;
        Phase phase = new Phase(rate, rounds, warmupRounds, roundsDone.get(), steadySeconds, visible, processed,
                acked, planner / wall, broker / wall, bench / wall, Math.max(0, machine - planner - broker - bench) / wall,
                PlannerBenchProc.loadAverage(), rig.streamThreadMetrics());
        System.out.printf(Locale.ROOT, "inputs sent → acked by the broker: p50 %s, p99 %s; CPU (cores) planner %.2f,"
                + " broker %.2f, bench %.2f, others %.2f; load %s; stream thread: %s%n",
                PlannerBenchStats.ms(acked.percentile(0.5)), PlannerBenchStats.ms(acked.percentile(0.99)),
                phase.plannerCores(), phase.brokerCores(), phase.benchCores(), phase.otherCores(), phase.loadEnd(),
                phase.streamThread());
        System.out.print(PlannerBenchReport.latencyTable(List.of(new PlannerBenchReport.Row(
                new PlannerBenchmark.Variant("this run", Map.of()), null, phase))));
        return phase;
    }

    /** Other builds share this machine: start a measurement when they leave the CPU to us, if they do soon. */
    private void awaitQuiet() throws InterruptedException {
        if (quietCores > 0) {
            PlannerBenchProc.awaitQuiet(List.of(rig.plannerPid(), rig.brokerPid(), ProcessHandle.current().pid()),
                    quietCores, quietWait);
        }
    }

    private static Map<Kind, PlannerBenchStats> stats() {
        Map<Kind, PlannerBenchStats> stats = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            stats.put(kind, new PlannerBenchStats());
        }
        return stats;
    }

    private static ReleaseRequested request(String id, int i, List<CanaryStep> steps) {
        String app = "app-" + i;
        // the progress deadline is raised so that the deadline timers of the admission burst do not
        // all fall due during the measurement (they would be stale and ignored, but all at once)
        return new ReleaseRequested(id, new WorkloadRef(WorkloadRef.DEPLOYMENT, "bench", app),
                new VersionSpec("registry.example.com/bench/" + app + ":v2", null),
                new Strategy.Canary(new TrafficRouting.Istio(app, null, app, null), steps, Duration.ofHours(2), null),
                "bench");
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
                || event instanceof ReleaseEvent.Queued) {
            anomaly(event.getClass().getSimpleName() + " for " + event.releaseId() + ": " + event);
        }
    }

    private static final Set<String> ROUTINE_EVENTS = Set.of("io.serin.release.accepted.v1",
            "io.serin.release.step-started.v1", "io.serin.release.step-completed.v1",
            "io.serin.release.analysis-completed.v1", "io.serin.release.resumed.v1",
            "io.serin.release.action-applied.v1");
    private static final byte[] TYPE_FIELD = "\"type\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
            return new String(json, from, to - from, java.nio.charset.StandardCharsets.US_ASCII);
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
        if (!warmup.contains(releaseId)) {
            visible.get(trigger.kind()).add(polledAt - trigger.atMicros());
            processed.get(trigger.kind()).add(createTimeMillis * 1000 - trigger.atMicros());
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
        return answerAtOnce || warmup.contains(releaseId) ? null : acked;
    }

    private void answer(Runnable send) {
        if (answerAtOnce) {
            send.run();
        } else {
            standIns.schedule(send, ThreadLocalRandom.current().nextInt(minAnswerMillis, maxAnswerMillis + 1),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void anomaly(String what) {
        if (anomalyCount.incrementAndGet() <= 100) {
            anomalies.add(what);
            System.err.println("planner bench: " + what);
        }
    }

    private void awaitOrFail(BooleanSupplier done, Duration timeout, java.util.function.Supplier<String> status)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (!rig.plannerAlive()) {
                throw new IllegalStateException("the planner died; see " + rig.plannerLog());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + ": " + status.get() + "; see "
                        + rig.plannerLog());
            }
            if (System.nanoTime() > nextReport) {
                System.out.println("  " + status.get());
                nextReport += 10_000_000_000L;
            }
            Thread.sleep(20);
        }
    }

    private static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        standIns.shutdownNow();
        try {
            consumerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
