package io.serin.notifier.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.events.Severity;
import io.serin.notifier.chat.CloudEventsRenderer;
import io.serin.notifier.testing.Samples;
import io.serin.notifier.testing.WebhookReceiverResource;
import io.serin.notifier.testing.WebhookStub;
import io.serin.testsupport.JsonMutator;
import io.serin.testsupport.KafkaTestResource;
import io.serin.testsupport.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookReceiverResource.class, restrictToAnnotatedClass = true)
class NotifierIT {

    private static final EventCodec<ReleaseEvent> CODEC = EventCodec.of(ReleaseEvent.class);
    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void postsEveryReleaseEventInLogOrder() {
        String releaseId = uniqueReleaseId();
        publish(releaseId, new ReleaseEvent.PromotionStarted(releaseId, 1, Instant.now(), TARGET,
                new VersionSpec("registry.example.com/payments/payment-gateway:v2", null)));
        publish(releaseId, new ReleaseEvent.Promoted(releaseId, 2, Instant.now(), TARGET,
                new VersionSpec("registry.example.com/payments/payment-gateway:v2", null), "all pods on v2"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(2));

        List<JsonNode> posted = postedFor(releaseId);
        assertThat(posted).extracting(p -> p.at("/data/sequence").asLong()).containsExactly(1L, 2L);
        assertThat(posted).extracting(p -> p.get("serinsummary").asText()).containsExactly(
                "payments/payment-gateway: promoting to registry.example.com/payments/payment-gateway:v2",
                "payments/payment-gateway: promoted to registry.example.com/payments/payment-gateway:v2");
        assertThat(posted).extracting(p -> p.at("/type").asText())
                .containsExactly("io.serin.release.promotion-started.v1", "io.serin.release.promoted.v1");
        WebhookStub.Request request = WebhookReceiverResource.stub().requests().stream()
                .filter(r -> r.body().contains(releaseId)).findFirst().orElseThrow();
        assertThat(request.contentType()).isEqualTo(CloudEventsRenderer.CONTENT_TYPE);
        assertThat(request.headers().get("x-serin-signature-256")).isEqualTo("sha256=" + CloudEventsRenderer.sign(
                new SecretKeySpec("hmac-s3cr3t".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                request.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The rule: an event written longer ago than the delivery log remembers is not posted; later ones are. */
    @Test
    void doesNotPostEventsOlderThanTheDeliveryLogRemembers() {
        String releaseId = uniqueReleaseId();
        Instant longAgo = Instant.now().minus(java.time.Duration.ofDays(30));
        byte[] old = CODEC.encode(CloudEvent.of(URI.create("/serin/planner"), releaseId, longAgo,
                new ReleaseEvent.PromotionStarted(releaseId, 1, longAgo, TARGET,
                        new VersionSpec("registry.example.com/payments/payment-gateway:v2", null))));
        try {
            // written to the log 30 days ago (the record's timestamp), as a re-read from the start would find it
            producer.send(new ProducerRecord<>(Topics.RELEASE_EVENTS, null, longAgo.toEpochMilli(), releaseId, old))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        publish(releaseId, new ReleaseEvent.Promoted(releaseId, 2, Instant.now(), TARGET,
                new VersionSpec("registry.example.com/payments/payment-gateway:v2", null), "all pods on v2"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(1));
        assertThat(postedFor(releaseId)).extracting(p -> p.at("/data/sequence").asLong()).containsExactly(2L);
    }

    /** Chat shows a URL without userinfo or query, even when an event carries one. */
    @Test
    void showsUrlsInEventsWithoutTheirSecrets() {
        String releaseId = uniqueReleaseId();
        publish(releaseId, new ReleaseEvent.RollbackStarted(releaseId, 1, Instant.now(), TARGET,
                "gate https://ci:pw-s3cr3t@ci.example.com/hook?token=tok-s3cr3t refused"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(1));
        assertThat(postedFor(releaseId).get(0).toString()).contains("https://ci.example.com/hook")
                .doesNotContain("pw-s3cr3t").doesNotContain("tok-s3cr3t");
    }

    @Test
    void routesEachEventToEachPlatformBySeverityNamespaceAndTheRequest() {
        String releaseId = uniqueReleaseId();
        List<ReleaseEvent> log = Samples.failingCanary(releaseId,
                Samples.notifications(Severity.INFO, "release-discord", "oncall-teams", "ghost"));
        log.forEach(e -> publish(releaseId, e));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(bodies(WebhookReceiverResource.slack(), releaseId)).hasSize(7);
            assertThat(bodies(WebhookReceiverResource.discord(), releaseId)).hasSize(7);
            assertThat(bodies(WebhookReceiverResource.teams(), releaseId)).hasSize(3);
            assertThat(bodies(WebhookReceiverResource.googleChat(), releaseId)).hasSize(3);
            assertThat(postedFor(releaseId)).hasSize(7);
        });
        assertThat(bodies(WebhookReceiverResource.slack(), releaseId))
                .extracting(b -> b.at("/blocks/0/text/text").asText()).containsExactly(
                        ":large_blue_circle: Release accepted: payments/payment-gateway",
                        ":large_blue_circle: Step 1/2 started: payments/payment-gateway",
                        ":large_blue_circle: Step 1/2 done: payments/payment-gateway",
                        ":large_blue_circle: Step 2/2 started: payments/payment-gateway",
                        ":rotating_light: Analysis FAILED: payments/payment-gateway",
                        ":rotating_light: Rolling back: payments/payment-gateway",
                        ":rotating_light: Rolled back: payments/payment-gateway");
        assertThat(bodies(WebhookReceiverResource.teams(), releaseId))
                .allSatisfy(b -> assertThat(b.at("/attachments/0/contentType").asText())
                        .isEqualTo("application/vnd.microsoft.card.adaptive"))
                .extracting(b -> b.at("/attachments/0/content/body/0/text").asText()).containsExactly(
                        "Analysis FAILED: payments/payment-gateway", "Rolling back: payments/payment-gateway",
                        "Rolled back: payments/payment-gateway");
        assertThat(bodies(WebhookReceiverResource.discord(), releaseId).get(4).at("/embeds/0/fields"))
                .anySatisfy(f -> assertThat(f.get("value").asText()).isEqualTo("4m 22s"));
        assertThat(bodies(WebhookReceiverResource.googleChat(), releaseId))
                .extracting(b -> b.at("/cardsV2/0/card/header/title").asText()).containsExactly(
                        "Analysis FAILED: payments/payment-gateway", "Rolling back: payments/payment-gateway",
                        "Rolled back: payments/payment-gateway");
    }

    @Test
    void neverPostsAnEventFromAnAbortedTransactionAndPostsItsCommittedVersion() {
        String releaseId = uniqueReleaseId();
        Instant now = Instant.now();
        // the planner's retry after an abort writes the same event (same id) with what really happened
        CloudEvent<ReleaseEvent> aborted = CloudEvent.withId(releaseId + "-1", URI.create("/serin/planner"),
                releaseId, now, new ReleaseEvent.RollbackStarted(releaseId, 1, now, TARGET, "aborted: never happened"));
        CloudEvent<ReleaseEvent> committed = CloudEvent.withId(releaseId + "-1", URI.create("/serin/planner"),
                releaseId, now.plusSeconds(3), new ReleaseEvent.RollbackStarted(releaseId, 1, now.plusSeconds(3),
                        TARGET, "committed: canary crashed"));
        try (KafkaProducer<String, byte[]> planner = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-planner-" + releaseId),
                new StringSerializer(), new ByteArraySerializer())) {
            planner.initTransactions();
            planner.beginTransaction();
            planner.send(new ProducerRecord<>(Topics.RELEASE_EVENTS, releaseId, CODEC.encode(aborted)));
            planner.flush();
            // an aborted record stays in the log: a read_uncommitted reader would post it, whenever it reads
            planner.abortTransaction();
            planner.beginTransaction();
            planner.send(new ProducerRecord<>(Topics.RELEASE_EVENTS, releaseId, CODEC.encode(committed)));
            planner.commitTransaction();
        }
        publish(releaseId, new ReleaseEvent.RolledBack(releaseId, 2, Instant.now(), TARGET, "canary crashed"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(2));
        assertThat(postedFor(releaseId)).extracting(p -> p.at("/data/reason").asText())
                .containsExactly("committed: canary crashed", "canary crashed");
        assertThat(bodies(WebhookReceiverResource.slack(), releaseId)).hasSize(2)
                .noneSatisfy(b -> assertThat(b.toString()).contains("never happened"));
    }

    @Test
    void postsARedeliveredEventOnlyOncePerChannel() {
        String releaseId = uniqueReleaseId();
        List<ReleaseEvent> log = Samples.failingCanary(releaseId, null);
        byte[] accepted = CODEC.encode(Samples.envelope(log.get(0)));
        send(releaseId, accepted);
        send(releaseId, accepted); // the planner, or a rebalance, hands us the same event again
        publish(releaseId, log.get(1));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bodies(WebhookReceiverResource.slack(), releaseId))
                .hasSize(2));
        assertThat(postedFor(releaseId)).extracting(p -> p.at("/data/sequence").asLong()).containsExactly(1L, 2L);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("serin_notifier_deliveries_total{channel=\"payments-slack\",outcome=\"duplicate\"}"));
    }

    @Test
    void deadLettersWhatOneChannelRefusesNamingThatChannelWhileOthersGetIt() {
        String releaseId = uniqueReleaseId();
        WebhookReceiverResource.slack().replyWith(WebhookStub.Reply.status(403));
        publish(releaseId, new ReleaseEvent.PromotionStarted(releaseId, 1, Instant.now(), TARGET,
                new VersionSpec("registry.example.com/payments/payment-gateway:v2", null)));

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(releaseId);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).isEqualTo("slack answered 403 after 1 attempt");
        assertThat(header(deadLetter, DeadLetters.CHANNEL_HEADER)).isEqualTo("payments-slack");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId)).hasSize(1));
    }

    @Test
    void deadLettersAnUnreadableRecordWithItsReasonAndKeepsConsuming() {
        String releaseId = uniqueReleaseId();
        long garbageOffset = send(releaseId, "garbage{".getBytes(StandardCharsets.UTF_8));
        publish(releaseId, new ReleaseEvent.RolledBack(releaseId, 1, Instant.now(), TARGET, "analysis failed"));

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(releaseId);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).startsWith("not JSON");
        assertThat(header(deadLetter, Topics.DLQ_ORIGIN_HEADER)).startsWith(Topics.RELEASE_EVENTS + "/")
                .endsWith("/" + garbageOffset);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage{");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(postedFor(releaseId))
                .extracting(p -> p.get("serinsummary").asText())
                .containsExactly("payments/payment-gateway: rolled back: analysis failed"));
    }

    @Test
    void deadLettersAnEventTheWebhookRefusesWithoutRevealingTheUrl() {
        String releaseId = uniqueReleaseId();
        WebhookReceiverResource.stub().replyWith(WebhookStub.Reply.status(400));
        publish(releaseId, new ReleaseEvent.RollbackStarted(releaseId, 1, Instant.now(), TARGET, "canary crashed"));

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(releaseId);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).isEqualTo("webhook answered 400 after 1 attempt");
        assertThat(header(deadLetter, DeadLetters.CHANNEL_HEADER)).isEqualTo("webhook");
        assertThat(deadLetter.headers()).allSatisfy(h ->
                assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("s3cr3t", "/hooks/serin"));
        assertThat(CODEC.decode(deadLetter.value()).subject()).isEqualTo(releaseId);
    }

    /**
     * Every event example of docs/examples, mutated by the seeded {@link JsonMutator} (fields removed or
     * null, extremes, huge strings, deep nesting, wrong types, truncated bytes), through the real
     * consumer: each ends posted, skipped or dead-lettered, and an event published after all of them, in
     * the same partition, is still posted.
     */
    @Test
    void noMutationOfAnEventStopsTheConsumer() {
        String key = uniqueReleaseId();
        var examples = JsonMutator.examples(JsonMutator.docs().resolve("examples"), "io.serin.release.").stream()
                .filter(bytes -> !new String(bytes, StandardCharsets.UTF_8).contains("\"io.serin.release.requested.v1\"")
                        && !new String(bytes, StandardCharsets.UTF_8).contains("\"io.serin.release.action-requested.v1\""))
                .toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(15);
        for (byte[] example : examples) {
            for (long seed = 0; seed < 15; seed++) {
                send(key, JsonMutator.mutate(example, seed));
            }
        }
        publish(key, new ReleaseEvent.RolledBack(key, 1, Instant.now(), TARGET, "after the fuzz"));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(postedFor(key))
                .extracting(p -> p.get("serinsummary").asText())
                .contains("payments/payment-gateway: rolled back: after the fuzz"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyAndCountsDeliveries() {
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Kafka connection health check")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("serin_notifier_deliveries_total{"))
                .body(containsString("outcome=\"delivered\""))
                .body(containsString("outcome=\"dead_lettered\""))
                .body(containsString("outcome=\"skipped\""));
    }

    private static String uniqueReleaseId() {
        return "rel-" + UUID.randomUUID();
    }

    private static void publish(String releaseId, ReleaseEvent event) {
        send(releaseId, CODEC.encode(CloudEvent.of(URI.create("/serin/planner"), releaseId, Instant.now(), event)));
    }

    private static long send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.RELEASE_EVENTS, key, value)).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + Topics.RELEASE_EVENTS, e);
        }
    }

    private static List<JsonNode> postedFor(String releaseId) {
        WebhookStub stub = WebhookReceiverResource.stub();
        return stub.requests().stream().map(r -> json(r.body()))
                .filter(body -> releaseId.equals(body.at("/subject").asText()))
                .toList();
    }

    /** Bodies a chat platform stub received about one release (its id appears in every message). */
    private static List<JsonNode> bodies(WebhookStub stub, String releaseId) {
        return stub.requests().stream().filter(r -> r.body().contains(releaseId)).map(r -> json(r.body())).toList();
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        String dlq = Topics.deadLetter(Topics.RELEASE_EVENTS);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(dlq, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().filter(r -> key.equals(r.key())).findFirst();
            }, Optional::isPresent).orElseThrow();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String body) {
        try {
            return EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
