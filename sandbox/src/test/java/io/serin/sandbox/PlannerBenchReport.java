package io.serin.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;

/** Writes the planner benchmark's section of docs/benchmarks.md, replacing only that section. */
final class PlannerBenchReport {

    static final String HEADING = "## Planner (one instance)";

    /** One phase (rate) of one (releases, planner configuration) run; {@code result} is null while it runs. */
    record Row(PlannerBenchmark.Variant variant, PlannerBenchRun.Result result, PlannerBenchRun.Phase phase) {
    }

    private PlannerBenchReport() {
    }

    /** The planner settings that bound latency, as packaged in the app under test. */
    static Map<String, String> plannerDefaults(Path appHome) throws IOException {
        Properties properties = new Properties();
        Path appDir = appHome.resolve("planner-service/target/quarkus-app/app");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(appDir, "planner-service-*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile());
                        InputStream in = file.getInputStream(file.getEntry("application.properties"))) {
                    properties.load(in);
                }
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("processing.guarantee", properties.getProperty("kafka-streams.processing.guarantee", "?"));
        defaults.put("commit.interval.ms", properties.getProperty("kafka-streams.commit.interval.ms",
                "Kafka Streams' default"));
        defaults.put("poll.ms", properties.getProperty("kafka-streams.poll.ms", "Kafka Streams' default"));
        defaults.put("timer-tick", properties.getProperty("serin.planner.timer-tick", "PlannerConfig's default"));
        return defaults;
    }

    static String latencyTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("""
                | planner config | releases held | rounds/s | input → next command | samples | p50 | p95 | p99 | max | until processed: p50 / p99 |
                |---|---|---|---|---|---|---|---|---|---|
                """);
        for (Row row : rows) {
            PlannerBenchRun.Phase p = row.phase();
            for (PlannerBenchStandIns.Kind kind : PlannerBenchStandIns.Kind.values()) {
                PlannerBenchStats v = p.measured().visible().get(kind);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %,d | %s | %s | %s | %s | %s / %s |%n",
                        row.variant().label(), row.result() == null ? "-" : String.format(Locale.ROOT, "%,d",
                                row.result().releases()), p.rate(), kind.description, v.count(),
                        PlannerBenchStats.ms(v.percentile(0.50)), PlannerBenchStats.ms(v.percentile(0.95)),
                        PlannerBenchStats.ms(v.percentile(0.99)), PlannerBenchStats.ms(v.percentile(1.0)),
                        PlannerBenchStats.ms(p.measured().processed().get(kind).percentile(0.50)),
                        PlannerBenchStats.ms(p.measured().processed().get(kind).percentile(0.99))));
            }
        }
        return table.toString();
    }

    private static String holdTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("""
                | planner config | releases | admission (all but the first, sent at once) | admission rate | PAUSED (REST API) after admission / at the end | planner RSS after admission | RSS at the end (peak) | heap in use at the end (jcmd GC.heap_info) |
                |---|---|---|---|---|---|---|---|
                """);
        for (Row row : rows) {
            PlannerBenchRun.Result r = row.result();
            if (row.phase() != r.phases().get(0)) {
                continue;
            }
            table.append(String.format(Locale.ROOT,
                    "| %s | %,d | %.1f s | %,.0f releases/s | %,d / %,d | %d MiB | %d MiB (%d MiB) | %s |%n",
                    row.variant().label(), r.releases(), r.admissionSeconds(),
                    (r.releases() - 1) / r.admissionSeconds(), r.heldAfterAdmission(), r.heldAtEnd(),
                    r.rssAfterAdmissionKb() / 1024, r.rssEndKb() / 1024, r.hwmKb() / 1024, r.heapEnd()));
        }
        return table.toString();
    }

    private static String loadTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("""
                | planner config | releases | rounds/s | rounds measured (+ warm-up) / done | measured for | timed input sent → broker ack: p50 / p99 | CPU during the rounds (cores): planner / broker / benchmark / everything else on the machine | planner's stream thread at the end: time waiting in poll, commit latency avg / max | load average (1/5/15 min): before admission / after admission / after the rounds |
                |---|---|---|---|---|---|---|---|---|
                """);
        for (Row row : rows) {
            PlannerBenchRun.Result r = row.result();
            PlannerBenchRun.Phase p = row.phase();
            table.append(String.format(Locale.ROOT,
                    "| %s | %,d | %.0f | %,d (+ %,d) / %,d | %.1f s | %s / %s | %.2f / %.2f / %.2f / %.2f | %s | %s; %s; %s |%n",
                    row.variant().label(), r.releases(), p.rate(), p.rounds() - p.warmupRounds(), p.warmupRounds(),
                    p.roundsDone(), p.steadySeconds(), PlannerBenchStats.ms(p.measured().acked().percentile(0.5)),
                    PlannerBenchStats.ms(p.measured().acked().percentile(0.99)), p.plannerCores(), p.brokerCores(), p.benchCores(),
                    p.otherCores(), streamThread(p.streamThread()),
                    r.loadStart(), r.loadAfterAdmission(), p.loadEnd()));
        }
        return table.toString();
    }

    private static String targetsTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("""
                | planner config | releases | rounds/s | held: all N active and PAUSED at the end (≥ 10,000) | highest p99, input → next command (≤ 100 ms) |
                |---|---|---|---|---|
                """);
        for (Row row : rows) {
            PlannerBenchRun.Result r = row.result();
            PlannerBenchStandIns.Kind worst = null;
            long worstP99 = -1;
            for (PlannerBenchStandIns.Kind kind : PlannerBenchStandIns.Kind.values()) {
                long p99 = row.phase().measured().visible().get(kind).percentile(0.99);
                if (p99 > worstP99) {
                    worstP99 = p99;
                    worst = kind;
                }
            }
            table.append(String.format(Locale.ROOT, "| %s | %,d | %.0f | %s (%,d of %,d) | %s %s (%s) |%n",
                    row.variant().label(), r.releases(), row.phase().rate(),
                    r.heldAtEnd() == r.releases() && r.releases() >= 10_000 ? "met" : "not met", r.heldAtEnd(),
                    r.releases(), worstP99 >= 0 && worstP99 <= 100_000 ? "met:" : "not met:",
                    PlannerBenchStats.ms(worstP99), worst == null ? "-" : worst.description));
        }
        return table.toString();
    }

    /** The planner's Kafka Streams thread metrics (windowed, about the last minute) that say if it keeps up. */
    private static String streamThread(Map<String, Double> m) {
        Double poll = m.get("poll_ratio");
        Double avg = m.get("commit_latency_avg");
        Double max = m.get("commit_latency_max");
        return poll == null || avg == null || max == null ? "-" : String.format(Locale.ROOT, "%.0f%%, %.1f / %.0f ms",
                100 * poll, avg, max);
    }

    static void write(Path file, PlannerBenchmark.Settings s, Map<String, String> defaults, List<Row> rows)
            throws IOException {
        StringBuilder anomalies = new StringBuilder();
        for (Row row : rows) {
            if (row.phase() == row.result().phases().get(0)) {
                for (String a : row.result().anomalies()) {
                    anomalies.append("- ").append(row.variant().label()).append(", ")
                            .append(row.result().releases()).append(" releases: ").append(a).append('\n');
                }
            }
        }
        String rates = String.join(" and ", s.rates().stream()
                .map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
        String section = String.format(Locale.ROOT, """
                %s

                How it was run: `mvn -B -DskipTests -pl sandbox -am install`, then
                `%s`
                (`sandbox/src/test/java/io/serin/sandbox/PlannerBenchmark.java`), measured on %s on this 2-core
                machine (%s, OpenJDK %s). The machine may be shared with other builds and tests: the load table
                has what the rest of the machine used during each phase, and the load averages (2.0 means both
                cores busy; the benchmark's own broker and planner count in them).%s

                Setup: one Kafka broker (KRaft, single node, child JVM, `-Xmx512m`), every contract topic with %d
                partitions and replication factor 1, on loopback. The planner is its packaged app
                (`planner-service/target/quarkus-app`, copied aside so that a rebuild cannot change it mid-run) in
                its own JVM (`%s`), with its own configuration — %s, `commit.interval.ms` = %s, `poll.ms` = %s, timer tick = %s —
                except where the *planner config* column names an override. Nothing else of Serin runs: the
                benchmark JVM plays CI (requests), the operator (`promote`), the executor (every SetCanaryWeight
                succeeds) and the analyzer (every analysis is SUCCESSFUL), over Kafka. Each (releases, config) pair
                is a fresh broker and a fresh planner.

                Every release is a canary with Istio routing on a Deployment of its own (so none queues behind
                another) and 9 steps: setWeight 1, pause (until promoted), setWeight 2, analysis (10 min), setWeight
                3, pause %d s, setWeight 4, setWeight 5, pause (until promoted); progress deadline 2 h.

                ### Active releases held

                The first release is sent alone and waited for (so the planner has its partitions before the clock
                starts); then the other N − 1 requests are published at once. The benchmark answers each
                SetCanaryWeight 1 at once, and a release counts as admitted when its Paused event (step 2, until
                promoted) is readable. Admission rate = (N − 1) / (first of them sent → last such Paused event
                read). Then every release is read back through the REST API (`GET /releases/{id}`), after
                admission and again at the end.

                %s
                ### Latency from an input to the next command, with all N active

                After admission, rounds start at a steady rate (%s per second, one phase each, on releases no
                other phase used), each round on a release of its own: `promote` → SetCanaryWeight 2 → (result) →
                analysis start → (verdict) → SetCanaryWeight 3 → (result) → pause %d s → (timer) → SetCanaryWeight 4
                → (result) → SetCanaryWeight 5 → (result) → pause until promoted. So at R rounds/s each kind of
                input arrives at about R/s (6R inputs/s in all — two results lead to a pause and are not timed —
                plus R timers/s), and a round leaves its release active: N releases stay active throughout. The
                stand-ins answer a command %d–%d ms (uniformly) after reading it, so inputs do not arrive in step
                with the planner's commits. Rounds started in the first %d s of a phase are warm-up and not counted;
                then %d s are measured.

                Latency = from the benchmark's `send` of the input (wall clock, µs) to the `poll` that returns the
                command to a `read_committed` consumer in the benchmark JVM — what the executor or analyzer would
                see, including the planner's transaction commit. For the timer, it starts at the timer's due time
                (`resumeAt` of the Paused event) instead: it includes the wait for the punctuator (which looks for
                due timers once per tick, wall clock) and the commit. *p99 until processed* uses the command
                record's timestamp instead of the poll: CreateTime, which the planner sets to its processing time
                (the decision's `now`); the rest is the wait for the commit and the fetch. Same machine, same clock.

                %s
                %s
                How to read the latency: with exactly-once, a command becomes readable only when the transaction
                that holds it commits, and Kafka Streams commits at most once per `commit.interval.ms` — so the
                wait for the commit alone is spread evenly between 0 and that interval, and the p99 cannot be much
                below the interval. A timer is seen due only when the punctuator next looks (once per tick), so
                its latency adds up to one tick before the same commit wait. Anything above those bounds is the
                planner's queueing, the broker and — here — other processes holding the CPU.

                Against the targets (TARGETS.md: ≥ 10,000 active releases per planner instance; input → next
                command ≤ 100 ms p99 at that load):

                %s
                Caveats: a single broker with replication factor 1 on loopback — no replication, no network; a
                production cluster adds the followers' fetch to every `acks=all` write and to every transaction
                commit. The machine is shared with other builds (see the load averages), which inflates the tails.
                The N releases arrive in one burst, not over weeks; their progress-deadline timers (one per
                step, stale once the step is confirmed) are set 2 h out, so none falls due during the
                measurement. The planner logs every event at INFO (its default) into its log file; that cost is
                included. Inputs arrive evenly spread, not in bursts.
                %s""", HEADING, s.command(), LocalDate.now(), cpuModel(), System.getProperty("java.runtime.version"),
                s.quietCores() <= 0 ? "" : String.format(Locale.ROOT, " To keep them out of the figures where"
                        + " possible,%nadmission and each phase started only once the rest of the machine had used less"
                        + " than %.1f cores over 5 s%n(waiting at most %d min); what it used during each phase is in"
                        + " the table.", s.quietCores(), s.quietWaitMinutes()),
                s.partitions(), s.plannerJvm(), defaults.get("processing.guarantee"),
                defaults.get("commit.interval.ms"), defaults.get("poll.ms"), defaults.get("timer-tick"), PlannerBenchmark.TIMED_PAUSE.toSeconds(),
                holdTable(rows), rates, PlannerBenchmark.TIMED_PAUSE.toSeconds(), PlannerBenchmark.MIN_ANSWER_MS,
                PlannerBenchmark.MAX_ANSWER_MS, s.warmupSeconds(), s.seconds(), latencyTable(rows), loadTable(rows), targetsTable(rows),
                anomalies.length() == 0 ? "" : "\nAnomalies seen (first ten of each run):\n\n" + anomalies);
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        int start = text.indexOf(HEADING + "\n");
        if (start >= 0) {
            int next = text.indexOf("\n## ", start + 1);
            text = text.substring(0, start) + section.stripTrailing() + "\n" + (next < 0 ? "" : text.substring(next));
        } else {
            text = text.stripTrailing() + "\n\n" + section;
        }
        Files.writeString(file, text.stripTrailing() + "\n");
        System.out.println(section);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
