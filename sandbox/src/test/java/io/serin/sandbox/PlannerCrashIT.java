package io.serin.sandbox;

import io.serin.events.CanaryStep;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.testsupport.ExampleApps;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability of the planner: killed with SIGKILL in the middle of a timed pause and again in the
 * middle of an analysis, it must still carry the release to its end, with a gapless event log, the
 * pause ending at its original time, and no command emitted twice with different content.
 */
class PlannerCrashIT {

    private static final String APP = "checkout";
    private static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        Path home = Path.of(System.getProperty("serin.home", "..")).toAbsolutePath().normalize();
        sandbox = Sandbox.start(new Sandbox.Settings(home, home.resolve("sandbox/target/planner-crash-it"),
                Duration.ofMillis(300), 1000, Duration.ofMillis(250),
                "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        sandbox.installApp(ExampleApps.NAMESPACE, APP, ExampleApps.IMAGE + ":v1");
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static boolean reached(String releaseId, Class<? extends ReleaseEvent> type) {
        return sandbox.events(releaseId).stream().anyMatch(type::isInstance);
    }

    @Test
    void completesAReleaseAfterThePlannerIsKilledMidPauseAndMidAnalysis() {
        String id = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Duration pause = Duration.ofSeconds(40);
        sandbox.submit(Scenario.HEALTHY.request(id, APP, List.of(new CanaryStep.SetWeight(25),
                new CanaryStep.Pause(pause), new CanaryStep.Analysis(Duration.ofMinutes(2), List.of(Scenario.errorRate())))));

        await().atMost(Duration.ofSeconds(60)).until(() -> reached(id, ReleaseEvent.Paused.class));
        ReleaseEvent.Paused paused = (ReleaseEvent.Paused) sandbox.events(id).stream()
                .filter(ReleaseEvent.Paused.class::isInstance).findFirst().orElseThrow();
        Instant killedAt = Instant.now();
        sandbox.killAndRestart("planner-service");
        Instant readyAgainAt = Instant.now();
        assertThat(killedAt).as("the planner died inside the pause").isBefore(paused.resumeAt());

        await().atMost(Duration.ofSeconds(90)).until(() -> reached(id, ReleaseEvent.Resumed.class));
        ReleaseEvent.Resumed resumed = (ReleaseEvent.Resumed) sandbox.events(id).stream()
                .filter(ReleaseEvent.Resumed.class::isInstance).findFirst().orElseThrow();
        assertThat(resumed.by()).isEqualTo("timer");
        // A pause restarted from scratch would end a full pause after the restart; the stored timer
        // ends it at its original time, or as soon as the planner's partitions are reassigned (the
        // dead member leaves the group after its 10 s session timeout) if that time has passed.
        Instant originalOrRecovery = paused.resumeAt().isAfter(readyAgainAt) ? paused.resumeAt() : readyAgainAt;
        assertThat(resumed.occurredAt()).as("the pause ended at its original time")
                .isAfterOrEqualTo(paused.resumeAt())
                .isBefore(originalOrRecovery.plusSeconds(30))
                .isBefore(readyAgainAt.plus(pause));

        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.events(id).stream()
                .anyMatch(e -> e instanceof ReleaseEvent.StepStarted s && s.stepIndex() == 2));
        sandbox.killAndRestart("planner-service");

        await().atMost(Duration.ofSeconds(120)).until(() -> reached(id, ReleaseEvent.Promoted.class));
        List<ReleaseEvent> log = sandbox.events(id);
        assertThat(log).extracting(ReleaseEvent::sequence)
                .containsExactly(LongStream.rangeClosed(1, log.size()).boxed().toArray(Long[]::new));
        assertThat(log).extracting(e -> e.getClass().getSimpleName()).containsExactly("Accepted", "StepStarted",
                "StepCompleted", "StepStarted", "Paused", "Resumed", "StepStarted", "AnalysisCompleted",
                "PromotionStarted", "Promoted");

        Map<String, List<String>> commandsById = commands(id).stream().collect(Collectors.groupingBy(
                c -> c.commandId(), Collectors.mapping(Object::toString, Collectors.toList())));
        assertThat(commandsById.keySet()).containsExactlyInAnyOrder(id + "/step-0", id + "/promote");
        assertThat(commandsById.values()).as("a re-emitted command has the same content")
                .allSatisfy(versions -> assertThat(versions).containsOnly(versions.get(0)));
    }

    private static List<ExecutorCommand> commands(String releaseId) {
        List<ExecutorCommand> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topics.EXECUTOR_COMMANDS));
            long quietUntil = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < quietUntil) {
                consumer.poll(Duration.ofMillis(250)).forEach(r -> {
                    if (releaseId.equals(r.key())) {
                        found.add(EventCodec.of(ExecutorCommand.class).decode(r.value()).data());
                    }
                });
            }
        }
        return found;
    }
}
