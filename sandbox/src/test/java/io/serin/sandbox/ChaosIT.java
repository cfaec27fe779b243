package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.CanaryStep;
import io.serin.events.ReleaseEvent;
import io.serin.testsupport.ExampleApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every service killed with SIGKILL at the moments that break naive designs, and the broker gone for
 * 30 s mid-command, over a dozen canary releases, healthy and faulty, running side by side. Killed
 * services are restarted by the sandbox's supervisor, as a kubelet would. Afterwards: exactly one
 * terminal event per release, the expected one; gapless event logs; the cluster as the outcomes say
 * (stable image, no canary left); every committed event posted to chat, none that was never committed,
 * and no event posted twice.
 */
class ChaosIT {

    private static final int RELEASES = 12;
    private static final Duration ANALYSIS = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static Sandbox sandbox;

    private final Map<String, List<JsonNode>> posted = new ConcurrentHashMap<>();
    private final List<String> kills = new CopyOnWriteArrayList<>();
    /** From SIGKILL to ready again, per kill: the supervisor's reaction plus the service's start. */
    private final List<String> recoveries = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSandbox() {
        Path home = Path.of(System.getProperty("serin.home", "..")).toAbsolutePath().normalize();
        sandbox = Sandbox.start(new Sandbox.Settings(home, home.resolve("sandbox/target/chaos-it"),
                Duration.ofMillis(300), 1000, Duration.ofMillis(250),
                "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        for (int i = 0; i < RELEASES; i++) {
            sandbox.installApp(ExampleApps.NAMESPACE, app(i), ExampleApps.IMAGE + ":v1");
        }
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            Instant closing = Instant.now();
            sandbox.close();
            Duration took = Duration.between(closing, Instant.now());
            System.out.printf("chaos: the sandbox stopped in %d ms%n", took.toMillis());
            assertThat(took).as("stopping the sandbox, services first").isLessThan(Duration.ofSeconds(20));
        }
    }

    private static String app(int i) {
        return "chaos-" + i;
    }

    private static boolean faulty(int i) {
        return i % 3 == 2;
    }

    @Test
    void everyReleaseEndsOnceAsExpectedThroughKillsAndABrokerOutage() throws Exception {
        Consumer<JsonNode> recorder = body -> posted.computeIfAbsent(body.path("id").asText(),
                k -> new CopyOnWriteArrayList<>()).add(body);
        sandbox.webhook().onMessage(recorder);
        String run = Long.toString(System.currentTimeMillis() % 100_000, 36);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RELEASES; i++) {
            ids.add("chaos-" + run + "-" + i);
        }

        // 1. executor between canary creation and route patch: the first canary Deployment appears
        submit(ids, 0, 4);
        killWhen("executor-service", "a canary Deployment exists, its step not yet reported",
                () -> canaryExists(app(0)) && !reached(ids.get(0), ReleaseEvent.StepCompleted.class));

        // 2. analyzer mid-analysis
        killWhen("analyzer-service", "an analysis is running", () -> ids.subList(0, 4).stream()
                .anyMatch(id -> reached(id, ReleaseEvent.StepCompleted.class)));

        // 3. notifier between a platform's 2xx and its delivery record
        submit(ids, 4, 8);
        AtomicBoolean armed = new AtomicBoolean(true);
        Consumer<JsonNode> killNotifier = body -> {
            if (armed.compareAndSet(true, false)) {
                // after the 2xx has gone out (the receiver answers once its listeners return)
                new Thread(() -> {
                    sleep(5);
                    kill("notifier-service", "just after a post was answered 2xx");
                }).start();
            }
        };
        sandbox.webhook().onMessage(killNotifier);
        await().atMost(Duration.ofSeconds(60)).until(() -> !armed.get());
        sandbox.webhook().remove(killNotifier);

        // 4. planner mid-transaction: while several releases have inputs in flight
        killWhen("planner-service", "releases are stepping", () -> ids.subList(4, 8).stream()
                .filter(id -> reached(id, ReleaseEvent.StepStarted.class)).count() >= 2);

        // 5. the broker gone for 30 s while commands are with the executor, then executor mid-promotion
        submit(ids, 8, RELEASES);
        await().atMost(Duration.ofSeconds(120)).until(() -> ids.subList(8, RELEASES).stream()
                .anyMatch(id -> reached(id, ReleaseEvent.StepStarted.class)));
        Instant outage = Instant.now();
        sandbox.killBroker();
        kills.add("broker at " + outage);
        sleep(OUTAGE.toMillis());
        sandbox.startBroker();
        killWhen("executor-service", "a promotion is under way", () -> ids.stream().anyMatch(id ->
                reached(id, ReleaseEvent.PromotionStarted.class) && !reached(id, ReleaseEvent.Promoted.class)));

        // every release ends, exactly once, as its image deserves
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(ids).as("terminal releases (kills: %s)", kills)
                        .allSatisfy(id -> assertThat(terminals(id)).isNotEmpty()));
        sleep(3_000); // a doubled terminal event would come now
        Map<String, String> outcomes = new HashMap<>();
        for (int i = 0; i < RELEASES; i++) {
            String id = ids.get(i);
            List<ReleaseEvent> log = sandbox.events(id);
            assertThat(terminals(id)).as("terminal events of %s", id).hasSize(1);
            Class<?> expected = faulty(i) ? ReleaseEvent.RolledBack.class : ReleaseEvent.Promoted.class;
            assertThat(terminals(id).get(0)).as("%s: %s", id, log).isInstanceOf(expected);
            assertThat(log).extracting(ReleaseEvent::sequence).as("gapless log of %s", id)
                    .containsExactly(LongStream.rangeClosed(1, log.size()).boxed().toArray(Long[]::new));
            outcomes.put(id, terminals(id).get(0).getClass().getSimpleName());
        }

        assertThat(sandbox.eventLog().conflicts()).as("two events under one sequence").isEmpty();

        // the cluster is what the outcomes say: the stable Deployment runs the promoted or the old image,
        // and no canary is left behind
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 0; i < RELEASES; i++) {
                Deployment target = sandbox.kubernetes().apps().deployments().inNamespace(ExampleApps.NAMESPACE)
                        .withName(app(i)).get();
                String image = target.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
                assertThat(image).as(app(i)).isEqualTo(ExampleApps.IMAGE + (faulty(i) ? ":v1" : ":v2"));
                assertThat(canaryExists(app(i))).as("canary of %s left behind", app(i)).isFalse();
            }
        });

        // chat: every committed event of these releases posted, none that was never committed, none twice
        Set<String> committed = ids.stream().flatMap(id -> sandbox.events(id).stream())
                .map(e -> e.releaseId() + "/" + e.sequence()).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(posted.keySet()).as("posted event ids").containsAll(committed));
        Set<String> ours = posted.keySet().stream().filter(id -> ids.stream().anyMatch(r -> id.startsWith(r + "/")))
                .collect(Collectors.toSet());
        assertThat(ours).as("posted but never committed").isSubsetOf(committed);
        // The sandbox's chat is a CloudEvents webhook: a delivery the notifier could not record before it
        // died is posted again with the same CloudEvent id, which the receiver deduplicates. So a second
        // post is allowed only as the very same CloudEvent; as messages, every event arrives exactly once.
        Map<String, Integer> repeated = new HashMap<>();
        ours.forEach(id -> {
            List<JsonNode> copies = posted.get(id);
            assertThat(copies).as("posts of %s", id).allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0)));
            if (copies.size() > 1) {
                repeated.put(id, copies.size());
            }
        });
        System.out.printf("chaos: %d events posted; re-posted with the same CloudEvent id: %s%n", ours.size(),
                repeated);
        assertThat(kills).hasSize(6);
        System.out.printf("chaos: %d releases %s; kills %s; restarts %s; kill to ready again: %s%n", RELEASES,
                outcomes.values().stream().collect(Collectors.groupingBy(o -> o, Collectors.counting())), kills,
                Sandbox.SERVICES.stream().collect(Collectors.toMap(s -> s, sandbox::restarts)), recoveries);
    }

    private void submit(List<String> ids, int from, int to) {
        for (int i = from; i < to; i++) {
            var steps = List.<CanaryStep>of(new CanaryStep.SetWeight(25),
                    new CanaryStep.Analysis(ANALYSIS, List.of(Scenario.errorRate())));
            sandbox.submit((faulty(i) ? Scenario.BAD : Scenario.HEALTHY).request(ids.get(i), app(i), steps));
        }
    }

    private void killWhen(String module, String moment, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(condition);
        Instant killed = Instant.now();
        kill(module, moment);
        // the supervisor brings it back; wait for it so that the next kill finds a running system
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> sandbox.ready(module));
        recoveries.add(module + " " + Duration.between(killed, Instant.now()).toMillis() + " ms");
    }

    private void kill(String module, String moment) {
        sandbox.kill(module);
        kills.add(module + " (" + moment + ")");
    }

    private static boolean canaryExists(String app) {
        return sandbox.kubernetes().apps().deployments().inNamespace(ExampleApps.NAMESPACE).withName(app + "-canary")
                .get() != null;
    }

    private static boolean reached(String releaseId, Class<? extends ReleaseEvent> type) {
        return sandbox.events(releaseId).stream().anyMatch(type::isInstance);
    }

    private static List<ReleaseEvent> terminals(String releaseId) {
        Predicate<ReleaseEvent> terminal = e -> e instanceof ReleaseEvent.Promoted || e instanceof ReleaseEvent.RolledBack
                || e instanceof ReleaseEvent.Failed || e instanceof ReleaseEvent.Rejected;
        return sandbox.events(releaseId).stream().filter(terminal).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
