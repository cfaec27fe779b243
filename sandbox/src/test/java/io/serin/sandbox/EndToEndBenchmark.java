package io.serin.sandbox;

import io.serin.events.CanaryStep;
import io.serin.events.ReleaseEvent;
import io.serin.testsupport.ExampleApps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * End-to-end figures of the whole system on this machine, written into docs/benchmarks.md: the time
 * from a faulty canary taking traffic (1% → 5% errors, 50 req/s on the canary, as in TARGETS.md) to
 * all traffic back on stable; the time a healthy canary takes to promotion; and the resident memory
 * of the whole sandbox. A main, not a test:
 *
 * <pre>mvn -B -DskipTests install
 * java -cp sandbox/target/test-classes:sandbox/target/classes:$(cat sandbox/target/sandbox.classpath) \
 *      io.serin.sandbox.EndToEndBenchmark [runs]</pre>
 */
public final class EndToEndBenchmark {

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path home = Path.of(System.getProperty("serin.home", ".")).toAbsolutePath().normalize();
        // 200 req/s over 3 stable + 1 canary pod: 50 req/s on the canary, as in TARGETS.md
        Sandbox.Settings settings = new Sandbox.Settings(home, home.resolve("sandbox/target/benchmark"),
                Duration.ofSeconds(1), 200, Duration.ofMillis(250), Sandbox.Settings.defaults(home).serviceJvmOptions());
        try (Sandbox sandbox = Sandbox.start(settings)) {
            List<Double> faultToStable = new ArrayList<>();
            List<Double> verdictToStable = new ArrayList<>();
            List<Double> healthyToPromoted = new ArrayList<>();
            for (int i = 0; i < runs + runs / 2; i++) {
                boolean faulty = i < runs;
                String app = "bench-" + i;
                sandbox.installApp(ExampleApps.NAMESPACE, app, ExampleApps.IMAGE + ":v1");
                String id = "bench-" + (faulty ? "bad-" : "good-") + i;
                sandbox.submit((faulty ? Scenario.BAD : Scenario.HEALTHY).request(id, app, List.of(
                        new CanaryStep.SetWeight(25),
                        new CanaryStep.Analysis(Duration.ofMinutes(5), List.of(Scenario.errorRate())))));
                List<ReleaseEvent> log = awaitEnd(sandbox, id, Duration.ofMinutes(8));
                Instant serving = at(log, e -> e instanceof ReleaseEvent.StepCompleted);
                ReleaseEvent last = log.get(log.size() - 1);
                if (faulty) {
                    if (!(last instanceof ReleaseEvent.RolledBack)) {
                        throw new IllegalStateException(id + " ended " + last.getClass().getSimpleName());
                    }
                    faultToStable.add(seconds(serving, last.occurredAt()));
                    verdictToStable.add(seconds(at(log, e -> e instanceof ReleaseEvent.AnalysisCompleted),
                            last.occurredAt()));
                } else {
                    if (!(last instanceof ReleaseEvent.Promoted)) {
                        throw new IllegalStateException(id + " ended " + last.getClass().getSimpleName());
                    }
                    healthyToPromoted.add(seconds(serving, last.occurredAt()));
                }
                System.out.printf(Locale.ROOT, "%s: %s%n", id, last.getClass().getSimpleName());
            }
            long rssKb = sandbox.pids().stream().mapToLong(EndToEndBenchmark::rssKb).sum();
            write(home.resolve("docs/benchmarks.md"), runs, faultToStable, verdictToStable, healthyToPromoted, rssKb,
                    sandbox.pids().size());
        }
        System.exit(0);
    }

    private static List<ReleaseEvent> awaitEnd(Sandbox sandbox, String id, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<ReleaseEvent> log = sandbox.events(id);
            if (!log.isEmpty()) {
                ReleaseEvent last = log.get(log.size() - 1);
                if (last instanceof ReleaseEvent.Promoted || last instanceof ReleaseEvent.RolledBack
                        || last instanceof ReleaseEvent.Failed || last instanceof ReleaseEvent.Paused) {
                    return log;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(id + " did not end within " + timeout);
    }

    private static Instant at(List<ReleaseEvent> log, Predicate<ReleaseEvent> which) {
        return log.stream().filter(which).findFirst().orElseThrow().occurredAt();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read memory of process " + pid, e);
        }
        return 0;
    }

    private static String stats(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double p90 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
        return String.format(Locale.ROOT, "%.1f s | %.1f s | %.1f s | %.1f s", sorted.get(0), median, p90,
                sorted.get(sorted.size() - 1));
    }

    private static void write(Path file, int runs, List<Double> faultToStable, List<Double> verdictToStable,
            List<Double> healthy, long rssKb, int processes) throws IOException {
        String section = String.format(Locale.ROOT, """
                ## End to end (sandbox)

                How it was run: `mvn -B -DskipTests install`, then
                `java -cp sandbox/target/test-classes:sandbox/target/classes:$(cat sandbox/target/sandbox.classpath) \
                io.serin.sandbox.EndToEndBenchmark %d` (`sandbox/src/test/java/io/serin/sandbox/EndToEndBenchmark.java`),
                on this 2-core machine, measured on %s. The whole system runs as in `./sandbox.sh`: a real Kafka
                broker, the four services as separate JVMs, the simulated cluster (kubelet delay 1 s). There are
                200 req/s over 3 stable pods and 1 canary pod, so 50 req/s reach the canary, as in TARGETS.md. The
                judge is the `sequential` error-rate judge, canary against stable, α = β = 1%%. Each release runs
                on its own Deployment, one after another. Times come from the release event log (`occurredAt`).

                | measure | runs | min | median | p90 | max |
                |---|---|---|---|---|---|
                | faulty canary (1%% → 5%% errors): canary serving → all traffic back on stable (RolledBack) | %d | %s |
                | of which: verdict processed by the planner → executor confirms traffic on stable | %d | %s |
                | healthy canary (1%% errors): canary serving → promoted | %d | %s |

                Target (TARGETS.md): fault to traffic back on stable ≤ 10 s. Flagger's default is ≥ 60 s, from its
                interval × threshold plus scrape lag.

                Memory: the resident set of every sandbox process summed (this JVM with the cluster, traffic and
                webhook; the broker; the four services; %d processes) after the runs: **%d MiB**. The target is
                ≤ 2 GiB.
                """, runs, java.time.LocalDate.now(), faultToStable.size(), stats(faultToStable), verdictToStable.size(),
                stats(verdictToStable), healthy.size(), stats(healthy), processes, rssKb / 1024);
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        int start = text.indexOf("## End to end (sandbox)");
        if (start >= 0) {
            int next = text.indexOf("\n## ", start + 1);
            text = text.substring(0, start) + (next < 0 ? "" : text.substring(next + 1));
        }
        Files.writeString(file, text.stripTrailing() + "\n\n" + section);
        System.out.println(section);
    }
}
