package io.serin.analyzer.bench;

import io.serin.events.Topics;
import io.serin.testsupport.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Samples per second one analyzer instance ingests from a real broker. Pre-loads
 * {@code serin.bench.samples} metric samples (CloudEvents JSON, as publishers send them) for
 * {@code serin.bench.analyses} running analyses into {@value Topics#METRIC_SAMPLES}, then starts each
 * packaged analyzer of {@code serin.bench.apps} in turn (a child JVM, its own consumer group and
 * state) and times how long it takes until its committed offsets reach the end of the topic.
 * {@code serin.bench.formats} ({@code single,batch} by default) repeats that, each with a broker of its
 * own, for one sample per record ({@code io.serin.metrics.sample.v1}) and for batches of all series of
 * an analysis and second ({@code io.serin.metrics.sample-batch.v1}). A main, not a test:
 *
 * <pre>mvn -B -pl analyzer-service verify
 * java -cp analyzer-service/target/test-classes:analyzer-service/target/classes:$(cat analyzer-service/target/bench.classpath) \
 *      -Dserin.bench.apps=before=/path/to/previous/quarkus-app,after=analyzer-service/target/quarkus-app \
 *      io.serin.analyzer.bench.IngestBenchmark</pre>
 *
 * Prints a Markdown table and writes {@code docs/img/analyzer-ingest-throughput.svg}.
 */
public final class IngestBenchmark {

    /** Seconds after the first commit that {@link Run#warmRate()} leaves out. */
    static final int WARM_UP = Integer.getInteger("serin.bench.warm-up-seconds", 15);

    private IngestBenchmark() {
    }

    /** How the samples are put on the topic. */
    enum Format {
        /** One CloudEvent per sample ({@code io.serin.metrics.sample.v1}). */
        SINGLE("one sample per record", 1),
        /** One CloudEvent per analysis and second with all its series ({@code io.serin.metrics.sample-batch.v1}). */
        BATCH("batches of " + Workload.INGEST_SAMPLES_PER_SECOND, Workload.INGEST_SAMPLES_PER_SECOND);

        final String label;
        final int samplesPerRecord;

        Format(String label, int samplesPerRecord) {
            this.label = label;
            this.samplesPerRecord = samplesPerRecord;
        }
    }

    record Run(String label, long samples, double seconds, double analyzerCpu, double brokerCpu, double machineCpu,
            double counted, String loadBefore, String loadAfter, double[] times, double[] rates, double warmRate) {

        double rate() {
            return samples / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int analyses = Integer.getInteger("serin.bench.analyses", 5_000);
        long wanted = Long.getLong("serin.bench.samples", 4_000_000L);
        int partitions = Integer.getInteger("serin.bench.partitions", 6);
        String jvm = System.getProperty("serin.bench.jvm", "-Xms1g -Xmx1g");
        Map<String, Path> apps = parseApps(System.getProperty("serin.bench.apps",
                "after=analyzer-service/target/quarkus-app"));
        Map<String, String> extra = parseConfig(System.getProperty("serin.bench.config", ""));
        Path work = Path.of(System.getProperty("serin.bench.work", "analyzer-service/target/bench"));
        Path img = Path.of(System.getProperty("serin.bench.img", "docs/img"));
        int seconds = (int) Math.ceil((double) wanted / analyses / Workload.INGEST_SAMPLES_PER_SECOND);

        List<Format> formats = Arrays.stream(System.getProperty("serin.bench.formats", "single,batch").split(","))
                .map(f -> Format.valueOf(f.trim().toUpperCase(Locale.ROOT))).toList();
        List<Run> runs = new ArrayList<>();
        long samples = 0;
        for (Format format : formats) {
            System.out.printf(Locale.ROOT, "%s: load average before the broker starts: %s%n", format.label,
                    Machine.loadAverage());
            // A broker of its own per format: each run meets exactly its format's backlog.
            try (KafkaBroker broker = KafkaBroker.start(partitions)) {
                broker.createTopics(Topics.allWithDeadLetters(), partitions);
                Instant startAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(seconds + 60L);
                preloadCommands(broker.bootstrapServers(), analyses, startAt);
                Map<String, String> appIds = new LinkedHashMap<>();
                for (Map.Entry<String, Path> app : apps.entrySet()) {
                    String appId = "bench-" + app.getKey() + "-" + UUID.randomUUID().toString().substring(0, 8);
                    appIds.put(app.getKey(), appId);
                    startAnalyses(app.getKey(), app.getValue(), appId, broker, work, jvm, extra);
                }
                samples = preloadSamples(broker.bootstrapServers(), analyses, seconds, startAt, format);
                for (Map.Entry<String, Path> app : apps.entrySet()) {
                    String label = formats.size() == 1 ? app.getKey() : app.getKey() + ", " + format.label;
                    runs.add(run(label, app.getValue(), appIds.get(app.getKey()), broker, work, jvm, extra,
                            samples, format.samplesPerRecord));
                }
            }
        }
        print(runs, analyses, seconds, partitions, jvm, extra);
        Svg.lineChart(img.resolve("analyzer-ingest-throughput.svg"), String.format(Locale.ROOT,
                "Analyzer ingest: %,d samples of %,d analyses, one instance", samples, analyses),
                "seconds since the first commit (log scale)", "samples/s (committed, per second)",
                runs.stream().map(r -> new Svg.Series(r.label(), r.times(), r.rates())).toList(), true);
        writeTimelines(work.resolve("ingest-timelines.csv"), runs);
        System.exit(0);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20), new StringSerializer(), new ByteArraySerializer());
    }

    static void preloadCommands(String bootstrap, int analyses, Instant startAt) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int a = 0; a < analyses; a++) {
                String id = releaseId(a);
                producer.send(new ProducerRecord<>(Topics.ANALYSIS_COMMANDS, null, startAt.toEpochMilli(), id,
                        Workload.ingestAnalysis(id, startAt, Duration.ofHours(6))));
            }
        }
    }

    /**
     * Lets an analyzer start the analyses before any sample is on the topic, then stops it: on its next
     * start it finds them running, with a backlog of samples, as after an outage.
     */
    static void startAnalyses(String label, Path app, String appId, KafkaBroker broker, Path work, String jvm,
            Map<String, String> extra) throws Exception {
        try (AnalyzerProcess analyzer = AnalyzerProcess.start(label, app.toAbsolutePath(), work.resolve(appId), jvm,
                config(appId, broker, extra)); Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            analyzer.awaitReady(Duration.ofMinutes(2));
            List<TopicPartition> partitions = partitions(admin, Topics.ANALYSIS_COMMANDS);
            long end = end(admin, partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (committed(admin, appId, partitions) < end) {
                if (!analyzer.alive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(label + " did not start the analyses; see " + analyzer.log());
                }
                Thread.sleep(200);
            }
        }
    }

    /** The samples, second by second across all analyses, as publishers would have sent them. */
    static long preloadSamples(String bootstrap, int analyses, int seconds, Instant startAt, Format format) {
        long start = System.nanoTime();
        long samples = 0;
        long records = 0;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int t = 1; t <= seconds; t++) {
                Instant at = startAt.plusSeconds(t);
                for (int a = 0; a < analyses; a++) {
                    String id = releaseId(a);
                    byte[][] values = format == Format.BATCH ? new byte[][] {Workload.ingestBatch(id, at, t)}
                            : Workload.ingestSecond(id, at, t);
                    for (byte[] value : values) {
                        producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, null, at.toEpochMilli(), id, value));
                        records++;
                    }
                    samples += Workload.INGEST_SAMPLES_PER_SECOND;
                }
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "pre-loaded %,d samples of %,d analyses in %,d records in %.1f s%n", samples,
                analyses, records, (System.nanoTime() - start) / 1e9);
        return samples;
    }

    private static String releaseId(int analysis) {
        return "ingest-r" + analysis;
    }

    /** The shared extra configuration, then the app's own ({@code serin.bench.config.<label>}), then the broker. */
    private static Map<String, String> config(String appId, KafkaBroker broker, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>(extra);
        String label = appId.substring("bench-".length(), appId.lastIndexOf('-'));
        config.putAll(parseConfig(System.getProperty("serin.bench.config." + label, "")));
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("quarkus.kafka-streams.application-id", appId);
        return config;
    }

    private static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static long end(Admin admin, List<TopicPartition> partitions) throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(r -> r.offset()).sum();
    }

    static Run run(String label, Path app, String appId, KafkaBroker broker, Path work, String jvm,
            Map<String, String> extra, long samples, int samplesPerRecord) throws Exception {
        String loadBefore = Machine.loadAverage();
        try (AnalyzerProcess analyzer = AnalyzerProcess.start(label, app.toAbsolutePath(), work.resolve(appId), jvm,
                config(appId, broker, extra)); Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            analyzer.awaitReady(Duration.ofMinutes(2));
            List<TopicPartition> partitions = partitions(admin, Topics.METRIC_SAMPLES);
            long end = end(admin, partitions);
            List<double[]> timeline = new ArrayList<>();
            long t0 = 0;
            long c0 = 0;
            double[] cpu0 = null;
            long lastCommitted = -1;
            long lastProgress = System.nanoTime();
            while (true) {
                long committed = committed(admin, appId, partitions);
                long now = System.nanoTime();
                if (committed != lastCommitted) {
                    lastCommitted = committed;
                    lastProgress = now;
                }
                if (!analyzer.alive() || now - lastProgress > TimeUnit.MINUTES.toNanos(3)) {
                    throw new IllegalStateException(label + " stopped or stalled; see " + analyzer.log());
                }
                if (committed > 0 && cpu0 == null) {
                    t0 = now;
                    c0 = committed;
                    cpu0 = cpu(analyzer, broker);
                }
                if (cpu0 != null) {
                    timeline.add(new double[] {(now - t0) / 1e9, (committed - c0) * (double) samplesPerRecord});
                }
                if (committed >= end) {
                    double[] cpu1 = cpu(analyzer, broker);
                    double elapsed = (now - t0) / 1e9;
                    double counted = analyzer.metric("serin_analyzer_samples_total", "outcome=\"counted\"");
                    double[][] perSecond = perSecond(timeline);
                    Run run = new Run(label, (end - c0) * samplesPerRecord, elapsed, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1],
                            cpu1[2] - cpu0[2], counted, loadBefore, Machine.loadAverage(), perSecond[0], perSecond[1],
                            warmRate(timeline));
                    System.out.printf(Locale.ROOT, "%s: %,d samples in %.1f s = %,.0f samples/s (counted by the "
                            + "analyzer: %,.0f of %,d; late %,.0f, ignored %,.0f)%n", label, run.samples(), elapsed,
                            run.rate(), counted, samples,
                            analyzer.metric("serin_analyzer_samples_total", "outcome=\"late\""),
                            analyzer.metric("serin_analyzer_samples_total", "outcome=\"ignored\""));
                    return run;
                }
                Thread.sleep(100);
            }
        }
    }

    private static long committed(Admin admin, String group, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return partitions.stream().map(offsets::get).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** CPU seconds so far of the analyzer, the broker, and the whole machine. */
    private static double[] cpu(AnalyzerProcess analyzer, KafkaBroker broker) {
        return new double[] {Machine.cpuSeconds(analyzer.pid()), Machine.cpuSeconds(broker.pid()),
                Machine.machineCpuSeconds()};
    }

    /**
     * Samples per second from {@link #WARM_UP} seconds after the first commit to the end, once the JIT has
     * compiled the hot paths; NaN for a run too short to tell (less than 10 s after the warm-up).
     */
    private static double warmRate(List<double[]> timeline) {
        double[] last = timeline.get(timeline.size() - 1);
        for (double[] point : timeline) {
            if (point[0] >= WARM_UP) {
                return last[0] - point[0] < 10 ? Double.NaN : (last[1] - point[1]) / (last[0] - point[0]);
            }
        }
        return Double.NaN;
    }

    /** The committed counts, as samples per second over consecutive one-second steps. */
    private static double[][] perSecond(List<double[]> timeline) {
        double last = timeline.get(timeline.size() - 1)[0];
        int steps = (int) Math.ceil(last);
        double[] times = new double[steps];
        double[] rates = new double[steps];
        int i = 0;
        double previous = 0;
        for (int s = 1; s <= steps; s++) {
            while (i < timeline.size() - 1 && timeline.get(i + 1)[0] <= s) {
                i++;
            }
            double count = timeline.get(i)[1];
            times[s - 1] = s;
            rates[s - 1] = count - previous;
            previous = count;
        }
        return new double[][] {times, rates};
    }

    private static void print(List<Run> runs, int analyses, int seconds, int partitions, String jvm,
            Map<String, String> extra) {
        System.out.printf(Locale.ROOT, "%n%d analyses x %d s of samples, %d partitions, %d cores, analyzer JVM %s%s%n",
                analyses, seconds, partitions, Machine.cores(), jvm, extra.isEmpty() ? "" : ", config " + extra);
        System.out.println("| analyzer | samples | time | samples/s | ratio | samples/s after the first " + WARM_UP
                + " s | analyzer CPU | CPU per sample | broker CPU | everything else | load average before / after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        double base = runs.get(0).rate();
        for (Run r : runs) {
            double other = r.machineCpu() - r.analyzerCpu() - r.brokerCpu();
            System.out.printf(Locale.ROOT, "| %s | %,d | %.1f s | **%,.0f** | %.1fx | %s | %.1f s (%.2f cores) | %.1f µs | "
                    + "%.1f s | %.1f s | %s / %s |%n", r.label(), r.samples(), r.seconds(), r.rate(), r.rate() / base,
                    Double.isNaN(r.warmRate()) ? "run too short" : String.format(Locale.ROOT, "%,.0f", r.warmRate()),
                    r.analyzerCpu(), r.analyzerCpu() / r.seconds(), 1e6 * r.analyzerCpu() / r.samples(),
                    r.brokerCpu(), other, r.loadBefore(), r.loadAfter());
        }
    }

    private static void writeTimelines(Path file, List<Run> runs) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("analyzer,second,samples_per_second\n");
        for (Run r : runs) {
            for (int i = 0; i < r.times().length; i++) {
                csv.append(String.format(Locale.ROOT, "\"%s\",%.0f,%.0f%n", r.label(), r.times()[i], r.rates()[i]));
            }
        }
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        java.nio.file.Files.writeString(file, csv);
    }

    static Map<String, Path> parseApps(String spec) {
        Map<String, Path> apps = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] kv = entry.split("=", 2);
            apps.put(kv[0].trim(), Path.of(kv[1].trim()));
        }
        return apps;
    }

    static Map<String, String> parseConfig(String spec) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            if (!entry.isBlank()) {
                String[] kv = entry.split("=", 2);
                config.put(kv[0].trim(), kv[1].trim());
            }
        }
        return config;
    }
}
