package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.AnalysisVerdict;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: the four services as separate processes over a real Kafka
 * broker, the executor changing a simulated cluster, the analyzer judging simulated traffic and
 * the notifier posting to a local webhook. Both releases target payments/payment-gateway, so they
 * run in order: the bad one first (the target stays v1), then the healthy one (v1 → v2).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxIT {

    /** An upper bound: the sequential judge decides as soon as the evidence suffices. */
    private static final Duration ANALYSIS = Duration.ofMinutes(2);
    private static final String IMAGE = "registry.example.com/payments/payment-gateway";
    private static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        Path home = Path.of(System.getProperty("serin.home", "..")).toAbsolutePath().normalize();
        sandbox = Sandbox.start(new Sandbox.Settings(home, home.resolve("sandbox/target/sandbox-it"),
                Duration.ofMillis(300), 1000, Duration.ofMillis(250),
                "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static List<ReleaseEvent> awaitOutcome(String releaseId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<ReleaseEvent> log = sandbox.events(releaseId);
            return !log.isEmpty() && (log.get(log.size() - 1) instanceof ReleaseEvent.Promoted
                    || log.get(log.size() - 1) instanceof ReleaseEvent.RolledBack
                    || log.get(log.size() - 1) instanceof ReleaseEvent.Failed
                    || log.get(log.size() - 1) instanceof ReleaseEvent.Rejected);
        });
        return sandbox.events(releaseId);
    }

    private static List<String> types(List<ReleaseEvent> log) {
        return log.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    private static Deployment deployment(String name) {
        return sandbox.kubernetes().apps().deployments().inNamespace("payments").withName(name).get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** Webhook bodies of one release, awaited until there is one per event. */
    private static List<JsonNode> webhookCalls(String releaseId, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(releaseId).size() >= expected);
        return calls(releaseId);
    }

    private static List<JsonNode> calls(String releaseId) {
        return sandbox.webhook().received().stream()
                .filter(b -> releaseId.equals(b.path("subject").asText())).toList();
    }

    @Test
    @Order(1)
    void rollsBackACanaryWhoseErrorRateIsAboveTheThreshold() {
        sandbox.submit(Scenario.BAD.request("it-bad", ANALYSIS));
        List<ReleaseEvent> log = awaitOutcome("it-bad");

        assertThat(types(log)).containsExactly("Accepted", "StepStarted", "StepCompleted", "StepStarted",
                "AnalysisCompleted", "RollbackStarted", "RolledBack");
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(((ReleaseEvent.StepCompleted) log.get(2)).traffic()).isEqualTo(new TrafficState(25, 1, 3));
        AnalysisVerdict verdict = ((ReleaseEvent.AnalysisCompleted) log.get(4)).verdict();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.metrics()).singleElement().satisfies(m -> {
            assertThat(m.value()).isGreaterThan(0.02);
            assertThat(m.denominator()).isGreaterThanOrEqualTo(100);
        });
        assertThat(((ReleaseEvent.RolledBack) log.get(6)).reason()).startsWith("analysis FAILED: error-rate");

        assertThat(image(deployment("payment-gateway"))).isEqualTo(IMAGE + ":v1");
        assertThat(deployment("payment-gateway").getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(deployment("payment-gateway-canary")).as("no canary left: 100% on stable").isNull();
        assertThat(sandbox.kubernetes().apps().deployments().inNamespace("payments")
                .withLabel("serin.io/variant").list().getItems()).isEmpty();

        List<JsonNode> calls = webhookCalls("it-bad", 7);
        assertThat(calls).extracting(c -> c.path("data").path("sequence").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(calls.get(6).path("type").asText()).isEqualTo("io.serin.release.rolled-back.v1");
        assertThat(calls).allSatisfy(c -> assertThat(c.path("serinsummary").asText()).isNotBlank());
    }

    @Test
    @Order(2)
    void answersMalformedRequestsAndKeepsProcessing() {
        sandbox.submitRaw("it-junk", "this is not JSON".getBytes(StandardCharsets.UTF_8));
        sandbox.submitRaw("it-no-target", envelope("it-no-target", "{\"releaseId\":\"it-no-target\","
                + "\"to\":{\"image\":\"registry.example.com/x:v2\"},\"strategy\":{\"type\":\"canary\",\"steps\":[{\"type\":\"setWeight\","
                + "\"weight\":10}]}}"));
        sandbox.submitRaw("it-blue-green", envelope("it-blue-green", "{\"releaseId\":\"it-blue-green\","
                + "\"target\":{\"kind\":\"Deployment\",\"namespace\":\"payments\",\"name\":\"payment-gateway\"},"
                + "\"to\":{\"image\":\"registry.example.com/x:v2\"},\"strategy\":{\"type\":\"blueGreen\",\"activeService\":"
                + "\"payment-gateway\",\"previewService\":\"payment-gateway\"}}"));

        ReleaseEvent.Rejected noTarget = (ReleaseEvent.Rejected) awaitOutcome("it-no-target").get(0);
        assertThat(noTarget.violations()).extracting(Object::toString).containsExactly("target: is required");
        ReleaseEvent.Rejected blueGreen = (ReleaseEvent.Rejected) awaitOutcome("it-blue-green").get(0);
        assertThat(blueGreen.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.previewService");
            assertThat(v.message()).contains("must differ from the active Service");
        });
        ConsumerRecord<String, byte[]> dead = deadLetter("it-junk");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not JSON");
        assertThat(new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("not JSON");
        assertThat(webhookCalls("it-blue-green", 1).get(0).path("type").asText())
                .isEqualTo("io.serin.release.rejected.v1");
    }

    @Test
    @Order(3)
    void promotesAHealthyCanary() {
        sandbox.submit(Scenario.HEALTHY.request("it-good", ANALYSIS));
        List<ReleaseEvent> log = awaitOutcome("it-good");

        assertThat(types(log)).containsExactly("Accepted", "StepStarted", "StepCompleted", "StepStarted",
                "AnalysisCompleted", "PromotionStarted", "Promoted");
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(((ReleaseEvent.AnalysisCompleted) log.get(4)).verdict().verdict()).isEqualTo(Verdict.SUCCESSFUL);

        Deployment target = deployment("payment-gateway");
        assertThat(image(target)).isEqualTo(IMAGE + ":v2");
        assertThat(target.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(deployment("payment-gateway-canary")).isNull();

        List<JsonNode> calls = webhookCalls("it-good", 7);
        assertThat(calls).extracting(c -> c.path("type").asText()).containsExactly(
                "io.serin.release.accepted.v1", "io.serin.release.step-started.v1",
                "io.serin.release.step-completed.v1", "io.serin.release.step-started.v1",
                "io.serin.release.analysis-completed.v1", "io.serin.release.promotion-started.v1",
                "io.serin.release.promoted.v1");
    }

    private static byte[] envelope(String subject, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + subject + "\",\"source\":\"urn:it\",\"type\":"
                + "\"io.serin.release.requested.v1\",\"subject\":\"" + subject + "\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "sandbox-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.RELEASE_REQUESTS)));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
