package io.serin.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many concurrent active releases one planner instance holds on this machine, and the latency
 * from a triggering input (operator action, executor result, analysis verdict, timer) to the next
 * command on its topic at that load, written into docs/benchmarks.md ({@code ## Planner (one
 * instance)}). A real broker and the planner's packaged app as its own process; the benchmark plays
 * everything else (see {@link PlannerBenchRun}). A main, not a test:
 *
 * <pre>mvn -B -DskipTests -pl sandbox -am install
 * java -cp sandbox/target/test-classes:sandbox/target/classes:$(cat sandbox/target/sandbox.classpath) \
 *      io.serin.sandbox.PlannerBenchmark [releases[,releases...]]</pre>
 *
 * Releases default to 10000. System properties: {@code serin.bench.rate} (rounds per second, default
 * 100: that many inputs of each kind per second; several, comma-separated, run one after another on
 * the same admitted releases), {@code serin.bench.seconds} (measured, default 60),
 * {@code serin.bench.warmup-seconds} (default 5), {@code serin.bench.partitions} (default 6),
 * {@code serin.bench.planner-jvm} (default {@value #DEFAULT_JVM}), {@code serin.bench.variants}:
 * planner configurations to run, separated by {@code ;}, each {@code default} or comma-separated
 * {@code key=value} planner properties, e.g.
 * {@code default;kafka-streams.commit.interval.ms=20,serin.planner.timer-tick=20ms}. Every
 * (releases, variant) pair runs on a fresh broker and a fresh planner. The machine is shared with
 * other builds: admission and every phase start once the rest of the machine used less than
 * {@code serin.bench.quiet-cores} cores (default 0.5; 0 does not wait) over 5 s, waiting at most
 * {@code serin.bench.quiet-wait-minutes} (default 10). {@code serin.bench.report} writes
 * the section into another file (for trial runs).
 */
public final class PlannerBenchmark {

    static final String DEFAULT_JVM = "-Xms256m -Xmx512m -XX:+UseG1GC";
    static final Duration TIMED_PAUSE = Duration.ofSeconds(5);
    static final int MIN_ANSWER_MS = 50;
    static final int MAX_ANSWER_MS = 250;

    /** A labelled planner configuration: overrides on top of the planner's application.properties. */
    record Variant(String label, Map<String, String> overrides) {
    }

    /** The settings one invocation ran with, for the report. */
    record Settings(List<Integer> sizes, List<Double> rates, int seconds, int warmupSeconds, int partitions,
            String plannerJvm, List<Variant> variants, double quietCores, int quietWaitMinutes, String command) {
    }

    private PlannerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("serin.home", ".")).toAbsolutePath().normalize();
        List<Integer> sizes = Arrays.stream((args.length > 0 ? args[0] : "10000").split(","))
                .map(s -> Integer.parseInt(s.trim())).toList();
        Settings settings = new Settings(sizes, Arrays.stream(System.getProperty("serin.bench.rate", "100").split(","))
                .map(r -> Double.parseDouble(r.trim())).toList(),
                Integer.getInteger("serin.bench.seconds", 60), Integer.getInteger("serin.bench.warmup-seconds", 5),
                Integer.getInteger("serin.bench.partitions", 6),
                System.getProperty("serin.bench.planner-jvm", DEFAULT_JVM),
                variants(System.getProperty("serin.bench.variants", "default")),
                Double.parseDouble(System.getProperty("serin.bench.quiet-cores", "0.5")),
                Integer.getInteger("serin.bench.quiet-wait-minutes", 10), command(args));
        Path work = home.resolve("sandbox/target/planner-bench");
        Path appHome = PlannerBenchRig.snapshotPlanner(home, work);
        Map<String, String> plannerDefaults = PlannerBenchReport.plannerDefaults(appHome);

        List<PlannerBenchReport.Row> rows = new ArrayList<>();
        // a directory per invocation: a planner left over from an interrupted one must not share its state
        String invocation = Long.toString(System.currentTimeMillis(), 36);
        int n = 0;
        for (int releases : sizes) {
            for (Variant variant : settings.variants()) {
                System.out.printf(Locale.ROOT, "=== %d releases, planner %s ===%n", releases, variant.label());
                Path runDir = work.resolve("run-" + invocation + "-" + (++n));
                try (PlannerBenchRig rig = PlannerBenchRig.start(appHome, runDir, settings.partitions(),
                        variant.overrides(), settings.plannerJvm());
                        PlannerBenchRun run = new PlannerBenchRun(rig, MIN_ANSWER_MS, MAX_ANSWER_MS,
                                settings.quietCores(), Duration.ofMinutes(settings.quietWaitMinutes()))) {
                    PlannerBenchRun.Result result = run.run(releases, settings.rates(), settings.seconds(),
                            settings.warmupSeconds(), TIMED_PAUSE);
                    result.phases().forEach(phase -> rows.add(new PlannerBenchReport.Row(variant, result, phase)));
                }
            }
        }
        PlannerBenchReport.write(home.resolve(System.getProperty("serin.bench.report", "docs/benchmarks.md")), settings,
                plannerDefaults, rows);
        System.exit(0);
    }

    static List<Variant> variants(String spec) {
        List<Variant> variants = new ArrayList<>();
        for (String one : spec.split(";")) {
            one = one.trim();
            if (one.isEmpty() || one.equals("default")) {
                variants.add(new Variant("default", Map.of()));
                continue;
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String pair : one.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("planner override '" + pair + "' is not key=value");
                }
                overrides.put(kv[0].trim(), kv[1].trim());
            }
            variants.add(new Variant(String.join(", ", overrides.entrySet().stream()
                    .map(e -> e.getKey().replaceFirst("^kafka-streams\\.", "").replaceFirst("^serin\\.planner\\.", "")
                            + " = " + e.getValue()).toList()), overrides));
        }
        return variants;
    }

    /** The command line that reproduces this run, with the benchmark's own properties as given. */
    private static String command(String[] args) {
        StringBuilder props = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("serin.bench.") && !k.equals("serin.bench.report")).sorted()
                .forEach(k -> props.append("-D").append(k).append("='").append(System.getProperty(k)).append("' "));
        return "java " + props + "-cp sandbox/target/test-classes:sandbox/target/classes:"
                + "$(cat sandbox/target/sandbox.classpath) io.serin.sandbox.PlannerBenchmark"
                + (args.length > 0 ? " " + args[0] : "");
    }
}
