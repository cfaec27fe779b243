package io.serin.analyzer.bench;

import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.events.AnalysisVerdict;
import io.serin.events.EventCodec;
import io.serin.events.Topics;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long after the sample that tips a decision its verdict is on the topic. Keeps
 * {@code serin.bench.analyses} analyses running on one packaged analyzer; each publishes its four
 * counters (requests, errors of canary and stable) once a second at its own moment within the second,
 * the canary failing every request from its first second (with {@code serin.bench.robust=false}, for
 * an analyzer of before the robust judge: without errors until a random second between 5 and 30): the
 * robust sequential judge lets no 5-second block of event time carry the whole evidence, so it fails the
 * canary as soon as the four samples of the first second of the next block are in ({@link #tip}), and
 * that second's canary errors sample is the deciding one. A new analysis takes the place of a decided one. Measures from
 * just before that sample is sent until a read_committed consumer receives the verdict (and until the
 * analyzer's decidedAt). {@code serin.bench.app} is the packaged analyzer, {@code serin.bench.config}
 * extra configuration for it ({@code k=v;k=v}). A main, not a test:
 *
 * <pre>java -cp analyzer-service/target/test-classes:analyzer-service/target/classes:$(cat analyzer-service/target/bench.classpath) \
 *      io.serin.analyzer.bench.VerdictLatencyBenchmark</pre>
 */
public final class VerdictLatencyBenchmark {

    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);
    /**
     * {@code serin.bench.robust=false} for an analyzer of before the robust judge, whose default test (the
     * independent-requests one) the first failing second decides.
     */
    static final boolean ROBUST = Boolean.parseBoolean(System.getProperty("serin.bench.robust", "true"));

    private VerdictLatencyBenchmark() {
    }

    /** One running analysis: when its next second is due and which second decides. */
    private record Slot(String releaseId, long startMillis, int second, int failFrom, int deciding,
            int phaseMillis) {

        long dueMillis() {
            return startMillis + second * 1_000L + phaseMillis;
        }
    }

    /** A deciding sample: when it was sent (wall clock and nano time). */
    private record Sent(long wallMillis, long nanos) {
    }

    record Result(int analyses, double samplesPerSecond, long decided, long missing, long wrong,
            double[] visible, double[] decision, String loadBefore, String loadAfter, double analyzerCores) {
    }

    public static void main(String[] args) throws Exception {
        int[] loads = Arrays.stream(System.getProperty("serin.bench.analyses", "2500,12500").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int warmup = Integer.getInteger("serin.bench.warmup-seconds", 30);
        int seconds = Integer.getInteger("serin.bench.seconds", 120);
        int partitions = Integer.getInteger("serin.bench.partitions", 6);
        Path app = Path.of(System.getProperty("serin.bench.app", "analyzer-service/target/quarkus-app"));
        String jvm = System.getProperty("serin.bench.jvm", "-Xms1g -Xmx1g");
        Map<String, String> extra = IngestBenchmark.parseConfig(System.getProperty("serin.bench.config", ""));
        Path work = Path.of(System.getProperty("serin.bench.work", "analyzer-service/target/bench"));
        Path img = Path.of(System.getProperty("serin.bench.img", "docs/img"));
        List<Result> results = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(partitions)) {
            broker.createTopics(Topics.allWithDeadLetters(), partitions);
            for (int analyses : loads) {
                String appId = "bench-latency-" + analyses + "-" + UUID.randomUUID().toString().substring(0, 8);
                Map<String, String> config = new LinkedHashMap<>(extra);
                config.put("kafka.bootstrap.servers", broker.bootstrapServers());
                config.put("quarkus.kafka-streams.application-id", appId);
                try (AnalyzerProcess analyzer = AnalyzerProcess.start("latency", app.toAbsolutePath(),
                        work.resolve(appId), jvm, config)) {
                    analyzer.awaitReady(Duration.ofMinutes(2));
                    results.add(run(broker.bootstrapServers(), analyzer, analyses, warmup, seconds));
                }
            }
        }
        print(results, warmup, seconds, partitions, jvm + (extra.isEmpty() ? "" : ", config " + extra));
        List<Svg.Series> cdf = new ArrayList<>();
        for (Result r : results) {
            cdf.add(cdf(r.analyses() + " analyses: sample sent -> verdict received", r.visible()));
            cdf.add(cdf(r.analyses() + " analyses: sample sent -> decidedAt", r.decision()));
        }
        Svg.lineChart(img.resolve("analyzer-verdict-latency.svg"), "Deciding sample to verdict: cumulative share",
                "milliseconds (log scale)", "share of verdicts", cdf, true);
        System.exit(0);
    }

    static Result run(String bootstrap, AnalyzerProcess analyzer, int analyses, int warmup, int seconds)
            throws Exception {
        Map<String, Sent> deciding = new ConcurrentHashMap<>();
        List<double[]> measured = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long[] counts = new long[2]; // received, not FAILED
        long measureFrom = System.currentTimeMillis() + warmup * 1_000L;
        Thread reader = new Thread(() -> read(bootstrap, running, deciding, measured, counts, measureFrom),
                "verdict-reader");
        reader.start();
        Random random = new Random(20261122L + analyses);
        String loadBefore = Machine.loadAverage();
        double cpu0 = Machine.cpuSeconds(analyzer.pid());
        long samples = 0;
        long sentDeciding = 0;
        long runEnd = measureFrom + seconds * 1_000L;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer())) {
            PriorityQueue<Slot> queue = new PriorityQueue<>((a, b) -> Long.compare(a.dueMillis(), b.dueMillis()));
            long generation = 0;
            for (int i = 0; i < analyses; i++) {
                queue.add(start(producer, "lat-" + analyses + "-" + generation++, random));
            }
            while (System.currentTimeMillis() < runEnd) {
                long now = System.currentTimeMillis();
                while (!queue.isEmpty() && queue.peek().dueMillis() <= now) {
                    Slot slot = queue.poll();
                    boolean failing = slot.second() >= slot.failFrom();
                    boolean tipping = slot.second() == slot.deciding();
                    if (slot.second() == 1 && ROBUST) {
                        // with the first samples, when the analysis has surely started
                        producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, slot.releaseId(),
                                Workload.cleanHistory(slot.releaseId(), Instant.ofEpochMilli(slot.startMillis()))));
                    }
                    byte[][] second = Workload.latencySecond(slot.releaseId(),
                            Instant.ofEpochMilli(slot.startMillis() + slot.second() * 1_000L), failing);
                    for (int k = 0; k < second.length; k++) {
                        if (tipping && k == second.length - 1 && now >= measureFrom) {
                            deciding.put(slot.releaseId(), new Sent(System.currentTimeMillis(), System.nanoTime()));
                            sentDeciding++;
                        }
                        producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, slot.releaseId(), second[k]));
                        samples++;
                    }
                    queue.add(tipping ? start(producer, "lat-" + analyses + "-" + generation++, random)
                            : new Slot(slot.releaseId(), slot.startMillis(), slot.second() + 1, slot.failFrom(),
                                    slot.deciding(), slot.phaseMillis()));
                }
                Thread.sleep(1);
            }
        }
        Thread.sleep(3_000); // the last verdicts
        running.set(false);
        reader.join();
        double cores = (Machine.cpuSeconds(analyzer.pid()) - cpu0) / ((System.currentTimeMillis() - measureFrom
                + warmup * 1_000L) / 1e3);
        double[] visible;
        double[] decision;
        synchronized (measured) {
            visible = measured.stream().mapToDouble(m -> m[0]).sorted().toArray();
            decision = measured.stream().mapToDouble(m -> m[1]).sorted().toArray();
        }
        long missing = sentDeciding - visible.length;
        System.out.printf(Locale.ROOT, "%d analyses: %,d samples sent, %d deciding samples measured, %d verdicts "
                + "missing%n", analyses, samples, visible.length, missing);
        return new Result(analyses, samples / (double) (warmup + seconds), visible.length, missing,
                counts[1], visible, decision, loadBefore, Machine.loadAverage(), cores);
    }

    /** Starts an analysis now; its first second is the next whole one, each at its own moment in the second. */
    private static Slot start(KafkaProducer<String, byte[]> producer, String releaseId, Random random) {
        long start = (System.currentTimeMillis() / 1_000 + 1) * 1_000;
        producer.send(new ProducerRecord<>(Topics.ANALYSIS_COMMANDS, releaseId,
                Workload.latencyAnalysis(releaseId, Instant.ofEpochMilli(start), Duration.ofMinutes(5))));
        // The robust judge takes a fault that appears mid-analysis for noise until its noise estimate has
        // caught up (docs/analyzer.md): its canary fails from the first second, so that the tipping second
        // is known and what is measured is the engine, not the statistics.
        int failFrom = ROBUST ? 1 : 5 + random.nextInt(26);
        return new Slot(releaseId, start, 1, failFrom, ROBUST ? tip(start / 1_000, failFrom) : failFrom,
                random.nextInt(1_000));
    }

    /**
     * The second whose samples tip the robust judge once the canary fails from second {@code failFrom}
     * on: no block of {@code SequentialRateTest.Robustness.DEFAULT.blockSeconds()} of event time may carry
     * the whole evidence, so the first block with failures brings it to its cap and the next block's first
     * second decides.
     */
    static int tip(long startSecond, int failFrom) {
        int block = SequentialRateTest.Robustness.DEFAULT.blockSeconds();
        int s = failFrom + 1;
        while (Math.floorDiv(startSecond + s, block) == Math.floorDiv(startSecond + failFrom, block)) {
            s++;
        }
        return s;
    }

    private static void read(String bootstrap, AtomicBoolean running, Map<String, Sent> deciding,
            List<double[]> measured, long[] counts, long measureFrom) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ANALYSIS_VERDICTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    long nanos = System.nanoTime();
                    AnalysisVerdict verdict = (AnalysisVerdict) VERDICTS.decode(record.value()).data();
                    counts[0]++;
                    if (verdict.verdict() != Verdict.FAILED) {
                        counts[1]++;
                    }
                    Sent sent = deciding.remove(record.key());
                    if (sent != null) {
                        synchronized (measured) {
                            measured.add(new double[] {(nanos - sent.nanos()) / 1e6,
                                    verdict.decidedAt().toEpochMilli() - sent.wallMillis()});
                        }
                    }
                }
            }
        }
    }

    private static Svg.Series cdf(String name, double[] sorted) {
        int points = Math.min(sorted.length, 400);
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
            int at = (int) ((long) i * (sorted.length - 1) / Math.max(1, points - 1));
            xs[i] = Math.max(1, sorted[at]);
            ys[i] = (at + 1) / (double) sorted.length;
        }
        return new Svg.Series(name, xs, ys);
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(List<Result> results, int warmup, int seconds, int partitions, String jvm) {
        System.out.printf(Locale.ROOT, "%nwarm-up %d s, measured %d s, %d partitions, %d cores, analyzer JVM %s%n",
                warmup, seconds, partitions, Machine.cores(), jvm);
        System.out.println("| analyses | samples/s | measure | verdicts | p50 | p95 | p99 | max | analyzer CPU | "
                + "load average before / after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            for (int k = 0; k < 2; k++) {
                double[] v = k == 0 ? r.visible() : r.decision();
                System.out.printf(Locale.ROOT, "| %,d | %,.0f | %s | %,d%s | %.0f ms | %.0f ms | **%.0f ms** | "
                        + "%.0f ms | %.2f cores | %s / %s |%n", r.analyses(), r.samplesPerSecond(),
                        k == 0 ? "sent → verdict received (read_committed)" : "sent → decidedAt",
                        v.length, k == 0 && (r.missing() > 0 || r.wrong() > 0)
                                ? String.format(Locale.ROOT, " (%d missing, %d not FAILED)", r.missing(), r.wrong())
                                : "", percentile(v, 0.5), percentile(v, 0.95), percentile(v, 0.99),
                        v.length == 0 ? Double.NaN : v[v.length - 1], r.analyzerCores(), r.loadBefore(),
                        r.loadAfter());
            }
        }
    }
}
