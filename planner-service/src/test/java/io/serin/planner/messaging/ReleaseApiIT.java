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
import io.serin.testsupport.OperatorAccess;
import io.restassured.specification.RequestSpecification;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The operator REST API over a real broker: requests and actions travel through Kafka and land in the
 * log; callers are authenticated by bearer tokens of a local OIDC issuer and authorized by the RBAC of
 * a simulated API server.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = io.serin.testsupport.OperatorAccessResource.class, restrictToAnnotatedClass = true)
class ReleaseApiIT {

    /** A request by {@code user}, who may do everything with releases. */
    private static RequestSpecification as(String user) {
        return io.restassured.RestAssured.given().auth().oauth2(OperatorAccess.admin(user));
    }

    private static RequestSpecification given() {
        return as("it-admin");
    }

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
    void refusesANegativeInitialDelayWith400NamingTheField() {
        String negative = body("warm").replace("\"duration\": \"PT10M\",",
                "\"duration\": \"PT10M\", \"initialDelay\": \"-PT30S\",");
        assertThat(negative).contains("initialDelay");
        given().contentType(ContentType.JSON).body(negative).post("/releases")
                .then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.contains("strategy.steps[1].initialDelay"))
                .body("violations[0].message", containsString("must not be negative"));
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
        as("alice").contentType(ContentType.JSON).body(body(id)).post("/releases")
                .then().statusCode(202).header("Location", containsString("/releases/" + id));
        awaitPhase(id, "APPLYING_STEP");

        given().contentType(ContentType.JSON).post("/releases/" + id + "/promote").then().statusCode(409)
                .body("reason", containsString("is being applied"));
        as("alice").contentType(ContentType.JSON).body("{\"reason\": \"look at logs\"}")
                .post("/releases/" + id + "/pause").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(id))
                .anySatisfy(e -> assertThat(e).isInstanceOf(ReleaseEvent.ActionApplied.class)));

        publishResult(id, id + "/step-0");
        awaitPhase(id, "PAUSED");
        given().get("/releases/" + id).then().body("pausedBy", equalTo("alice")).body("traffic.canaryWeight", equalTo(25));

        as("bob").header("X-Requested-By", "it").post("/releases/" + id + "/resume").then().statusCode(202);
        awaitPhase(id, "ANALYZING");
        as("bob").header("X-Requested-By", "it").post("/releases/" + id + "/promote?full=true").then().statusCode(202);
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
        // the requester is the token's subject: a CI system's token names the pipeline run
        as(published.get("data").get("requestedBy").asText()).contentType(ContentType.JSON).body(example)
                .post("/releases").then().statusCode(202);
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

    @Test
    void refusesCallersWithoutAValidToken() {
        io.restassured.RestAssured.given().get("/releases").then().statusCode(401);
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body(body("anon")).post("/releases")
                .then().statusCode(401);
        io.restassured.RestAssured.given().contentType(ContentType.JSON).post("/releases/x/abort").then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2("not-a-token").get("/releases").then().statusCode(401);
        var issuer = OperatorAccess.issuer();
        io.restassured.RestAssured.given().auth().oauth2(issuer.token("it-admin", List.of(OperatorAccess.ADMINS),
                "another-service", Instant.now().plusSeconds(600))).get("/releases").then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2(issuer.token("it-admin", List.of(OperatorAccess.ADMINS),
                "serin", Instant.now().minusSeconds(600))).get("/releases").then().statusCode(401);
        // Kubernetes' reserved names are not taken from a token: the user is refused, the group ignored
        io.restassured.RestAssured.given().auth().oauth2(issuer.token("system:kube-controller-manager",
                List.of(OperatorAccess.ADMINS))).get("/releases").then().statusCode(403);
        io.restassured.RestAssured.given().auth().oauth2(issuer.token("eve", List.of("system:masters")))
                .contentType(ContentType.JSON).body(body("masters")).post("/releases").then().statusCode(403);
        // a header naming a user is no identity
        io.restassured.RestAssured.given().header("X-Serin-User", "admin").get("/releases").then().statusCode(401);
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theRequesterIsTheTokensSubject() {
        String id = "who-" + UUID.randomUUID().toString().substring(0, 8);
        as("carol").contentType(ContentType.JSON).body(body(id).replace("{\"releaseId\"",
                        "{\"requestedBy\": \"someone-else\", \"releaseId\""))
                .post("/releases").then().statusCode(400).body("violations[0].field", equalTo("requestedBy"));
        as("carol").contentType(ContentType.JSON).body(body(id)).post("/releases").then().statusCode(202);
        // read-your-writes: the Location answers at once, with the release as requested
        as("carol").get("/releases/" + id).then().statusCode(200).body("releaseId", equalTo(id))
                .body("to.image", equalTo("registry.example.com/payments/payment-gateway:v2"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(id))
                .anySatisfy(e -> assertThat(((ReleaseEvent.Accepted) e).request().requestedBy()).isEqualTo("carol")));
    }

    /** The rule: a caller does a verb on a release only where an RBAC binding gives it that verb on releases.serin.io. */
    @Test
    void authorizesEachVerbPerNamespaceThroughRbac() {
        var k8s = OperatorAccess.kubernetes();
        String ns = "team-" + UUID.randomUUID().toString().substring(0, 6);
        k8s.rbac().roles().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata().withName("releaser").withNamespace(ns).endMetadata().addNewRule()
                .withApiGroups("serin.io").withResources("releases").withVerbs("create", "get", "pause").endRule()
                .build()).create();
        k8s.rbac().roleBindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata().withName("paula").withNamespace(ns).endMetadata()
                .addNewSubject().withKind("Group").withName(ns + "-devs").endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("releaser")
                .endRoleRef().build()).create();
        String paula = OperatorAccess.token("paula", ns + "-devs");
        String mallory = OperatorAccess.token("mallory");
        String id = "rbac-" + UUID.randomUUID().toString().substring(0, 8);
        String request = body(id).replace("\"namespace\": \"payments\"", "\"namespace\": \"" + ns + "\"");

        io.restassured.RestAssured.given().auth().oauth2(mallory).contentType(ContentType.JSON).body(request)
                .post("/releases").then().statusCode(403).body("reason", containsString("may not create"));
        io.restassured.RestAssured.given().auth().oauth2(paula).contentType(ContentType.JSON)
                .body(body(id + "x")).post("/releases").then().statusCode(403);
        io.restassured.RestAssured.given().auth().oauth2(paula).contentType(ContentType.JSON).body(request)
                .post("/releases").then().statusCode(202);
        awaitPhase(id, "APPLYING_STEP");
        io.restassured.RestAssured.given().auth().oauth2(paula).get("/releases/" + id).then().statusCode(200);
        io.restassured.RestAssured.given().auth().oauth2(mallory).get("/releases/" + id).then().statusCode(403);
        assertThat(io.restassured.RestAssured.given().auth().oauth2(mallory).get("/releases?limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("releaseId", String.class)).doesNotContain(id);
        io.restassured.RestAssured.given().auth().oauth2(paula).contentType(ContentType.JSON)
                .post("/releases/" + id + "/abort").then().statusCode(403).body("reason", containsString("may not abort"));
        io.restassured.RestAssured.given().auth().oauth2(paula).contentType(ContentType.JSON)
                .post("/releases/" + id + "/pause").then().statusCode(202);
    }

    @Test
    void refusesSystemNamespacesWhateverIsAllowed() {
        given().contentType(ContentType.JSON).body(body("sys-1").replace("\"namespace\": \"payments\"",
                "\"namespace\": \"kube-system\"")).post("/releases").then().statusCode(400)
                .body("violations[0].field", equalTo("target.namespace"))
                .body("violations[0].message", containsString("system namespace"));
    }

    @Test
    void anActionNeedsJsonOrACustomHeaderAndAnIdempotencyKeyAppliesItOnce() throws Exception {
        String id = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(body(id)).post("/releases").then().statusCode(202);
        awaitPhase(id, "APPLYING_STEP");
        // what a cross-site form could send
        given().contentType("application/x-www-form-urlencoded").body("reason=x").post("/releases/" + id + "/pause")
                .then().statusCode(415).body("reason", containsString("X-Requested-By"));
        given().contentType("text/plain").post("/releases/" + id + "/pause").then().statusCode(415);
        given().header("Idempotency-Key", "bad key!").contentType(ContentType.JSON)
                .post("/releases/" + id + "/pause").then().statusCode(400);
        String key = "pause-" + UUID.randomUUID();
        given().header("X-Requested-By", "cli").header("Idempotency-Key", key).post("/releases/" + id + "/pause")
                .then().statusCode(202).body("actionId", equalTo("pause:" + key));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("X-Requested-By", "cli")
                .header("Idempotency-Key", key).post("/releases/" + id + "/pause").then().statusCode(200)
                .body("reason", equalTo("already applied")));
        assertThat(events(id)).filteredOn(e -> e instanceof ReleaseEvent.ActionApplied)
                .extracting(e -> ((ReleaseEvent.ActionApplied) e).actionId()).containsExactly("pause:" + key);
    }

    @Test
    void limitsHowOftenOneUserWrites() {
        String user = "hasty-" + UUID.randomUUID().toString().substring(0, 6);
        int refused = 0;
        for (int i = 0; i < 25; i++) {
            int code = as(user).contentType(ContentType.JSON).body("{}").post("/releases").statusCode();
            assertThat(code).isIn(400, 429);
            if (code == 429) {
                refused++;
            }
        }
        assertThat(refused).as("writes over the burst of 20").isGreaterThanOrEqualTo(4);
        as(user).contentType(ContentType.JSON).body("{}").post("/releases").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // another user is not held back
        as("patient").contentType(ContentType.JSON).body("{}").post("/releases").then().statusCode(400);
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
