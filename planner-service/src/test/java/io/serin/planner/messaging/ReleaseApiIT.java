package io.serin.planner.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.events.TrafficState;
import io.serin.testsupport.KafkaTestResource;
import io.serin.testsupport.SharedKafka;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The operator REST API over a real broker: requests and actions travel through Kafka and land in the log. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class ReleaseApiIT {

    @org.junit.jupiter.api.BeforeEach
    void awaitStoreQueryable() {
        // until Kafka Streams runs, the API answers 503 with Retry-After, as it would to a client
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/releases").statusCode() == 200);
    }

    private static String body(String id) {
        return """
                {"releaseId": "%s",
                 "target": {"kind": "Deployment", "namespace": "payments", "name": "app-%s"},
                 "to": {"image": "registry.example.com/payments/payment-gateway:v2"},
                 "strategy": {"type": "canary", "steps": [
                   {"type": "setWeight", "weight": 25},
                   {"type": "analysis", "duration": "PT10M", "metrics": [{"name": "error-rate",
                     "measure": {"type": "ratio", "numerator": "errors", "denominator": "requests"},
                     "judge": {"type": "threshold", "max": 0.05}}]}]}}
                """.formatted(id, id);
    }

    private static void awaitPhase(String id, String phase) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/releases/" + id).then().statusCode(200).body("phase", equalTo(phase)));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "truncated JSON|{\"releaseId\": \"r\", \"target\": {|''|is not valid JSON",
            "a JSON array|[1, 2]|''|must be a JSON object (was array)",
            "a wrong type|{\"strategy\": {\"type\": \"canary\", \"steps\": [{\"type\": \"setWeight\", \"weight\": \"ten\"}]}}|strategy.steps[0].weight|",
            "a bad duration|{\"strategy\": {\"type\": \"canary\", \"progressDeadline\": \"soon\", \"steps\": []}}|strategy.progressDeadline|",
            "an unknown step type|{\"strategy\": {\"type\": \"canary\", \"steps\": [{\"type\": \"teleport\"}]}}|strategy.steps[0].type|teleport",
            "an empty body|''|''|a body is required"})
    void refusesAnUnreadableBodyWithTheFieldAndTheReason(String what, String body, String field, String reason) {
        var response = given().contentType(ContentType.JSON).body(body == null ? "" : body).post("/releases")
                .then().statusCode(400).extract().jsonPath();
        assertThat(response.getList("violations.field", String.class)).as(what).containsExactly(
                field == null ? "" : field);
        assertThat(response.getList("violations.message", String.class).get(0)).as(what).isNotBlank()
                .contains(reason == null ? "" : reason);
    }

    @Test
    void refusesNestingBeyondTheContractsDepthWith400() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        given().contentType(ContentType.JSON).body("{\"releaseId\": \"deep\", \"strategy\": " + deep + "}")
                .post("/releases").then().statusCode(400).body("violations[0].message",
                        containsString("nesting depth"));
        given().contentType(ContentType.JSON).body("{\"reason\": " + deep + "}")
                .post("/releases/anything/abort").then().statusCode(400);
    }

    @Test
    void refusesABodyOverTheSizeLimit() {
        String huge = "{\"releaseId\": \"big\", \"requestedBy\": \"" + "x".repeat(300 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/releases").then().statusCode(413);
    }

    @Test
    void refusesAnInvalidRequestWithEveryViolation() {
        given().contentType(ContentType.JSON)
                .body("{\"target\": {\"kind\": \"Deployment\", \"namespace\": \"payments\"}, \"strategy\": "
                        + "{\"type\": \"canary\", \"steps\": [{\"type\": \"setWeight\", \"weight\": 120}]}}")
                .post("/releases")
                .then().statusCode(400)
                .body("violations.field", hasItem("target.name"))
                .body("violations.field", hasItem("to"))
                .body("violations.field", hasItem("strategy.steps[0].weight"));
        given().get("/releases/does-not-exist").then().statusCode(404);
    }

    @Test
    void carriesOperatorActionsThroughKafkaIntoTheEventLog() throws Exception {
        String id = "api-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).header("X-Serin-User", "alice").body(body(id)).post("/releases")
                .then().statusCode(202).header("Location", containsString("/releases/" + id));
        awaitPhase(id, "APPLYING_STEP");

        given().post("/releases/" + id + "/promote").then().statusCode(409)
                .body("reason", containsString("is being applied"));
        given().header("X-Serin-User", "alice").contentType(ContentType.JSON).body("{\"reason\": \"look at logs\"}")
                .post("/releases/" + id + "/pause").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(id))
                .anySatisfy(e -> assertThat(e).isInstanceOf(ReleaseEvent.ActionApplied.class)));

        publishResult(id, id + "/step-0");
        awaitPhase(id, "PAUSED");
        given().get("/releases/" + id).then().body("pausedBy", equalTo("alice")).body("traffic.canaryWeight", equalTo(25));

        given().header("X-Serin-User", "bob").post("/releases/" + id + "/resume").then().statusCode(202);
        awaitPhase(id, "ANALYZING");
        given().header("X-Serin-User", "bob").post("/releases/" + id + "/promote?full=true").then().statusCode(202);
        awaitPhase(id, "PROMOTING");

        List<ReleaseEvent> log = events(id);
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(
                java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toArray(Long[]::new));
        assertThat(log).filteredOn(e -> e instanceof ReleaseEvent.ActionApplied)
                .extracting(e -> ((ReleaseEvent.ActionApplied) e).requestedBy())
                .containsExactly("alice", "bob", "bob");
        given().get("/releases").then().statusCode(200).body("releaseId", hasItem(id));
    }

    @Test
    void acceptsTheDocumentedRequestExample() throws Exception {
        java.nio.file.Path docs = java.nio.file.Path.of(System.getProperty("serin.docs.dir", "../docs"));
        String example = java.nio.file.Files.readString(docs.resolve("api/release-request.json"));
        var published = EventCodec.mapper().readTree(docs.resolve("examples/io.serin.release.requested.v1.json").toFile());
        assertThat(EventCodec.mapper().readTree(example)).as("the API example is the published request's data")
                .isEqualTo(published.get("data"));
        given().contentType(ContentType.JSON).header("X-Serin-User", "alice").body(example).post("/releases")
                .then().statusCode(202);
    }

    /**
     * docs/planner-openapi.yaml is the published REST contract: a change to the API fails here until
     * the document is regenerated with {@code -Dserin.docs.update=true}.
     */
    @Test
    void servesExactlyThePublishedOpenApiDocument() throws Exception {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(served).contains("/releases/{id}/promote");
        java.nio.file.Path published = java.nio.file.Path.of(System.getProperty("serin.docs.dir", "../docs"),
                "planner-openapi.yaml");
        if (Boolean.getBoolean("serin.docs.update")) {
            java.nio.file.Files.writeString(published, served);
        }
        assertThat(served).isEqualTo(java.nio.file.Files.readString(published));
    }

    private static void publishResult(String releaseId, String commandId) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            ExecutorResult result = new ExecutorResult.Succeeded(commandId, releaseId, Instant.now(), "ok",
                    new TrafficState(25, 1, 3));
            producer.send(new ProducerRecord<>(Topics.EXECUTOR_RESULTS, releaseId, EventCodec.of(ExecutorResult.class)
                    .encode(CloudEvent.of(URI.create("urn:test"), releaseId, Instant.now(), result)))).get();
        }
    }

    private static List<ReleaseEvent> events(String releaseId) {
        List<ReleaseEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "api-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topics.RELEASE_EVENTS));
            long deadline = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (releaseId.equals(r.key())) {
                        found.add(EventCodec.of(ReleaseEvent.class).decode(r.value()).data());
                    }
                });
            }
        }
        return found;
    }
}
