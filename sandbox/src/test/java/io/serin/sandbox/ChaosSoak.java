package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The chaos test's long form: for a number of minutes, canary releases (a third faulty) run side by
 * side while, at random moments from a seeded schedule, one of the four services is killed with
 * SIGKILL (the sandbox's supervisor restarts it) or the broker is killed for a random time. Then
 * every release must end once, as expected, with a gapless log, the cluster as its outcome says, and
 * every committed event posted to chat once (a repeat only as the same CloudEvent). Figures go into
 * docs/benchmarks.md, section "Chaos soak". A main, not a test:
 *
 * <pre>mvn -B -DskipTests install
 * java -cp sandbox/target/test-classes:sandbox/target/classes:$(cat sandbox/target/sandbox.classpath) \
 *      io.serin.sandbox.ChaosSoak [minutes] [concurrent releases] [seed]</pre>
 */
public final class ChaosSoak {

    private static final List<String> TARGETS = List.of("planner-service", "executor-service", "analyzer-service",
            "notifier-service", "broker");

    private ChaosSoak() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrent = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Path home = Path.of(System.getProperty("serin.home", ".")).toAbsolutePath().normalize();
        Random random = new Random(seed);
        Map<String, List<JsonNode>> posted = new ConcurrentHashMap<>();
        List<String> kills = new CopyOnWriteArrayList<>();
        Map<String, List<Double>> recovery = new TreeMap<>();
        List<Double> outages = new ArrayList<>();
        List<Release> releases = new ArrayList<>();
        Instant started = Instant.now();
        boolean failed;
        try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(home, home.resolve("sandbox/target/chaos-soak"),
                Duration.ofMillis(300), 1000, Duration.ofMillis(250),
                Sandbox.Settings.defaults(home).serviceJvmOptions()))) {
            sandbox.webhook().onMessage(body -> posted.computeIfAbsent(body.path("id").asText(),
                    k -> new CopyOnWriteArrayList<>()).add(body));
            Instant end = started.plus(Duration.ofMinutes(minutes));
            Instant nextChaos = Instant.now().plus(Duration.ofSeconds(20 + random.nextInt(30)));
            int n = 0;
            while (Instant.now().isBefore(end)) {
                long running = releases.stream().filter(r -> r.terminal(sandbox) == null).count();
                for (long i = running; i < concurrent; i++) {
                    releases.add(Release.submit(sandbox, n++, random.nextInt(3) == 0));
                }
                if (Instant.now().isAfter(nextChaos)) {
                    String target = TARGETS.get(random.nextInt(TARGETS.size()));
                    Instant at = Instant.now();
                    if (target.equals("broker")) {
                        int seconds = 10 + random.nextInt(51);
                        sandbox.killBroker();
                        Thread.sleep(seconds * 1000L);
                        sandbox.startBroker();
                        outages.add((double) seconds);
                        kills.add("broker for " + seconds + " s");
                    } else {
                        sandbox.kill(target);
                        kills.add(target);
                        while (!sandbox.ready(target)) {
                            Thread.sleep(100);
                        }
                        recovery.computeIfAbsent(target, k -> new ArrayList<>())
                                .add(Duration.between(at, Instant.now()).toMillis() / 1000.0);
                    }
                    System.out.printf(Locale.ROOT, "soak: %s at %s%n", kills.get(kills.size() - 1), at);
                    nextChaos = Instant.now().plus(Duration.ofSeconds(15 + random.nextInt(31)));
                }
                Thread.sleep(500);
            }
            Instant drainUntil = Instant.now().plus(Duration.ofMinutes(10));
            while (releases.stream().anyMatch(r -> r.terminal(sandbox) == null) && Instant.now().isBefore(drainUntil)) {
                Thread.sleep(1000);
            }
            Thread.sleep(30_000); // the last events reach chat; a doubled terminal event would come now
            List<String> violations = new ArrayList<>();
            List<Double> durations = new ArrayList<>();
            Map<String, Long> outcomes = new TreeMap<>();
            for (Release r : releases) {
                r.check(sandbox, posted, violations, durations, outcomes);
            }
            violations.addAll(sandbox.eventLog().conflicts());
            long repeats = posted.entrySet().stream().filter(e -> e.getKey().startsWith("soak-"))
                    .filter(e -> e.getValue().size() > 1).count();
            write(home.resolve("docs/benchmarks.md"), minutes, concurrent, seed, releases.size(), outcomes, kills,
                    recovery, outages, durations, violations, repeats);
            failed = !violations.isEmpty();
        }
        // only once the sandbox is closed: exiting inside it would leave the services and the broker running
        System.exit(failed ? 1 : 0);
    }

    /** One release on an app of its own, and what it should end as. */
    private record Release(String id, String app, boolean faulty, Instant submitted) {

        static Release submit(Sandbox sandbox, int n, boolean faulty) {
            String app = "soak-" + n;
            sandbox.installApp(ExampleApps.NAMESPACE, app, ExampleApps.IMAGE + ":v1");
            String id = "soak-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "-" + n;
            sandbox.submit((faulty ? Scenario.BAD : Scenario.HEALTHY).request(id, app, List.of(
                    new CanaryStep.SetWeight(25), new CanaryStep.Analysis(Duration.ofSeconds(90),
                            List.of(Scenario.errorRate())))));
            return new Release(id, app, faulty, Instant.now());
        }

        ReleaseEvent terminal(Sandbox sandbox) {
            return terminals(sandbox).stream().findFirst().orElse(null);
        }

        List<ReleaseEvent> terminals(Sandbox sandbox) {
            return sandbox.events(id).stream().filter(e -> e instanceof ReleaseEvent.Promoted
                    || e instanceof ReleaseEvent.RolledBack || e instanceof ReleaseEvent.Failed
                    || e instanceof ReleaseEvent.Rejected).toList();
        }

        void check(Sandbox sandbox, Map<String, List<JsonNode>> posted, List<String> violations,
                List<Double> durations, Map<String, Long> outcomes) {
            List<ReleaseEvent> log = sandbox.events(id);
            List<ReleaseEvent> ends = terminals(sandbox);
            outcomes.merge(ends.isEmpty() ? "not ended" : ends.get(0).getClass().getSimpleName(), 1L, Long::sum);
            if (ends.size() != 1) {
                violations.add(id + ": " + ends.size() + " terminal events");
                return;
            }
            Class<?> expected = faulty ? ReleaseEvent.RolledBack.class : ReleaseEvent.Promoted.class;
            if (!expected.isInstance(ends.get(0))) {
                violations.add(id + ": ended " + ends.get(0) + ", expected " + expected.getSimpleName());
            }
            if (!log.stream().map(ReleaseEvent::sequence).toList()
                    .equals(LongStream.rangeClosed(1, log.size()).boxed().toList())) {
                violations.add(id + ": log not gapless " + log.stream().map(ReleaseEvent::sequence).toList());
            }
            durations.add(Duration.between(submitted, ends.get(0).occurredAt()).toMillis() / 1000.0);
            Deployment target = sandbox.kubernetes().apps().deployments().inNamespace(ExampleApps.NAMESPACE)
                    .withName(app).get();
            String image = target.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            if (!image.equals(ExampleApps.IMAGE + (faulty ? ":v1" : ":v2"))) {
                violations.add(id + ": " + app + " runs " + image);
            }
            if (sandbox.kubernetes().apps().deployments().inNamespace(ExampleApps.NAMESPACE).withName(app + "-canary")
                    .get() != null) {
                violations.add(id + ": canary of " + app + " left behind");
            }
            for (ReleaseEvent e : log) {
                List<JsonNode> copies = posted.get(e.releaseId() + "/" + e.sequence());
                if (copies == null) {
                    violations.add(id + ": event #" + e.sequence() + " never posted");
                } else if (copies.stream().anyMatch(c -> !c.equals(copies.get(0)))) {
                    violations.add(id + ": event #" + e.sequence() + " posted twice with different content");
                }
            }
        }
    }

    private static String stats(List<Double> values) {
        if (values.isEmpty()) {
            return "– | – | –";
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%.1f s | %.1f s | %.1f s", sorted.get(0), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    private static void write(Path file, int minutes, int concurrent, long seed, int releases,
            Map<String, Long> outcomes, List<String> kills, Map<String, List<Double>> recovery, List<Double> outages,
            List<Double> durations, List<String> violations, long repeats) throws IOException {
        StringBuilder rows = new StringBuilder();
        recovery.forEach((service, times) -> rows.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", service,
                times.size(), stats(times))));
        String section = String.format(Locale.ROOT, """
                ## Chaos soak

                How it was run: `mvn -B -DskipTests install`, then
                `java -cp sandbox/target/test-classes:sandbox/target/classes:$(cat sandbox/target/sandbox.classpath) \
                io.serin.sandbox.ChaosSoak %d %d %d` (`sandbox/src/test/java/io/serin/sandbox/ChaosSoak.java`), on this
                2-core machine, measured on %s. For %d minutes, %d canary releases at a time ran side by side, each on
                an app of its own (a third faulty, 5%% errors; 25%% canary, then a 90 s sequential error-rate analysis).
                Every 15–45 s, at random (seed %d), one of the four services was killed with SIGKILL, and the
                sandbox's supervisor restarted it, or the broker was killed for 10–60 s. `ChaosIT` runs the same
                checks on a fixed schedule in CI.

                Releases: %d, ended %s. Kills: %d (%s). Broker outages: %d, %s long.

                | killed service | kills | min | median | max (SIGKILL → ready again) |
                |---|---|---|---|---|
                %s

                SIGKILL → ready again includes the supervisor's back-off when the same service had been restarted
                less than a minute before (CrashLoopBackOff: none for a first restart, then 2 s doubling to 30 s).

                Release duration, submitted → terminal event: %s (min | median | max).

                Violations of the guarantees (one terminal event, the expected one; gapless log; cluster as the
                outcome says; every event posted, a repeat only as the same CloudEvent): **%d**%s. Events re-posted
                with the same CloudEvent id after a notifier kill (deduplicated by the receiver): %d.
                """, minutes, concurrent, seed, java.time.LocalDate.now(), minutes, concurrent, seed, releases, outcomes,
                kills.size(), kills.stream().collect(Collectors.groupingBy(k -> k.startsWith("broker") ? "broker" : k,
                        TreeMap::new, Collectors.counting())), outages.size(), stats(outages), rows.toString().strip(),
                stats(durations), violations.size(), violations.isEmpty() ? "" : ": " + violations, repeats);
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        int start = text.indexOf("## Chaos soak");
        if (start >= 0) {
            int next = text.indexOf("\n## ", start + 1);
            text = text.substring(0, start) + (next < 0 ? "" : text.substring(next + 1));
        }
        Files.writeString(file, text.stripTrailing() + "\n\n" + section);
        System.out.println(section);
    }
}
