package io.serin.executor.messaging;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.StaleCommand;
import io.serin.executor.testing.GroupMemberProcess;
import io.serin.executor.testing.SimulatedClusterResource;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.KafkaBroker;
import io.serin.testsupport.KafkaTestResource;
import io.serin.testsupport.SharedKafka;
import io.serin.testsupport.TopicRecords;

import static io.serin.testsupport.TopicRecords.header;
import static io.serin.testsupport.TopicRecords.send;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The executor as deployed: Quarkus, SmallRye Kafka on a real broker, fabric8 on a simulated cluster. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SimulatedClusterResource.class, restrictToAnnotatedClass = true)
class ExecutorIT {

    private static final URI SOURCE = URI.create("urn:test:executor-it");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SLOW_GATE = Duration.ofSeconds(8);
    private static final WorkloadRef TARGET =
            new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, ExampleApps.NAME);
    private static final VersionSpec V2 = new VersionSpec(ExampleApps.IMAGE + ":v2", null);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);

    @Test
    void startsACanaryForTheWeightAndReportsTheTrafficTheClusterShows() {
        KubernetesClient kube = SimulatedClusterResource.cluster().client();
        await().atMost(PATIENCE).until(() -> readyReplicas(deployment(kube, ExampleApps.NAME)) == 3);
        String releaseId = uniqueReleaseId();
        String commandId = releaseId + "/step-0";
        send(Topics.EXECUTOR_COMMANDS, releaseId, COMMANDS.encode(CloudEvent.withId(commandId, SOURCE, releaseId,
                Instant.now(), new ExecutorCommand.SetCanaryWeight(commandId, releaseId, TARGET, V2, 25,
                        new TrafficRouting.ReplicaRatio()))));

        CloudEvent<ExecutorResult> event = RESULTS.decode(awaitRecord(Topics.EXECUTOR_RESULTS, releaseId).value());
        assertThat(event.id()).isEqualTo(commandId + "/result");
        assertThat(event.data()).isInstanceOfSatisfying(ExecutorResult.Succeeded.class, ok -> {
            assertThat(ok.commandId()).isEqualTo(commandId);
            assertThat(ok.releaseId()).isEqualTo(releaseId);
            assertThat(ok.traffic()).isEqualTo(new TrafficState(25, 1, 3));
        });

        Deployment canary = deployment(kube, Canaries.canaryName(TARGET));
        assertThat(canary).as("payments/payment-gateway-canary").isNotNull();
        assertThat(canary.getSpec().getReplicas()).isEqualTo(1);
        assertThat(canary.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo(V2.image()));
        assertThat(canary.getMetadata().getLabels()).containsEntry(Canaries.RELEASE_LABEL, releaseId);
        assertThat(deployment(kube, ExampleApps.NAME).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage()).as("the stable target is untouched").isEqualTo(ExampleApps.IMAGE + ":v1");
        given().accept("text/plain").get("/q/metrics").then().statusCode(200).body(containsString(
                "serin_executor_commands_total{command=\"SetCanaryWeight\",outcome=\"succeeded\""));
    }

    @Test
    void publishesTheResultOnceTheResultsTopicIsBackAndGoesOnConsuming() throws Exception {
        KubernetesClient kube = SimulatedClusterResource.cluster().client();
        WorkloadRef target = installApp(kube);
        String during = uniqueReleaseId();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            // the outage: the broker refuses every result until the topic exists again
            admin.deleteTopics(List.of(Topics.EXECUTOR_RESULTS)).all().get(30, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> !admin.listTopics().names().get().contains(Topics.EXECUTOR_RESULTS));
            double retriesBefore = publishRetries();

            sendCommand(during, Instant.now(), weight(during + "/step-0", during, target, 25));
            await().atMost(PATIENCE).until(() -> publishRetries() > retriesBefore);
            assertThat(deployment(kube, target.name() + "-canary")).as("applied once, while unanswered").isNotNull();
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            KafkaBroker.createTopics(SharedKafka.bootstrapServers(), List.of(Topics.EXECUTOR_RESULTS),
                    SharedKafka.PARTITIONS);
        }

        assertThat(RESULTS.decode(awaitRecord(Topics.EXECUTOR_RESULTS, during).value()).data())
                .isInstanceOfSatisfying(ExecutorResult.Succeeded.class, ok -> {
                    assertThat(ok.commandId()).isEqualTo(during + "/step-0");
                    assertThat(ok.traffic().canaryWeight()).isEqualTo(25);
                });
        String after = uniqueReleaseId();
        sendCommand(after, Instant.now(), new ExecutorCommand.RollbackCanary(after + "/rollback", after, target,
                new TrafficRouting.ReplicaRatio(), "test"));
        assertThat(RESULTS.decode(awaitRecord(Topics.EXECUTOR_RESULTS, after).value()).data())
                .as("the consumer goes on after the outage").isInstanceOf(ExecutorResult.Succeeded.class);
    }

    @Test
    void answersARedeliveredCommandAgainWithoutChangingTheCluster() {
        KubernetesClient kube = SimulatedClusterResource.cluster().client();
        WorkloadRef target = installApp(kube);
        String releaseId = uniqueReleaseId();
        Instant issued = Instant.now();
        sendCommand(releaseId, issued, weight(releaseId + "/step-0", releaseId, target, 25));
        awaitRecord(Topics.EXECUTOR_RESULTS, releaseId);
        String targetVersion = deployment(kube, target.name()).getMetadata().getResourceVersion();
        String canaryVersion = deployment(kube, target.name() + "-canary").getMetadata().getResourceVersion();

        // the same record again, as after a crash before its offset was committed
        sendCommand(releaseId, issued, weight(releaseId + "/step-0", releaseId, target, 25));

        List<ExecutorResult> results = TopicRecords.awaitRecords(Topics.EXECUTOR_RESULTS, releaseId, 2).stream()
                .map(r -> RESULTS.decode(r.value()).data()).toList();
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(ExecutorResult.Succeeded.class,
                ok -> assertThat(ok.traffic()).isEqualTo(new TrafficState(25, 1, 3))));
        assertThat(deployment(kube, target.name()).getMetadata().getResourceVersion()).isEqualTo(targetVersion);
        assertThat(deployment(kube, target.name() + "-canary").getMetadata().getResourceVersion())
                .isEqualTo(canaryVersion);
    }

    @Test
    void refusesAnOlderReleasesCommandThatArrivesAfterANewerReleaseActedOnTheTarget() {
        KubernetesClient kube = SimulatedClusterResource.cluster().client();
        WorkloadRef target = installApp(kube);
        String older = uniqueReleaseId();
        String newer = uniqueReleaseId();
        Instant now = Instant.now();
        sendCommand(newer, now, weight(newer + "/step-0", newer, target, 25));
        assertThat(RESULTS.decode(awaitRecord(Topics.EXECUTOR_RESULTS, newer).value()).data())
                .isInstanceOf(ExecutorResult.Succeeded.class);
        Deployment canary = deployment(kube, target.name() + "-canary");

        // issued a minute before the newer release's command, never committed, delivered again now
        sendCommand(older, now.minusSeconds(60), new ExecutorCommand.PromoteCanary(older + "/promote", older, target,
                V2, new TrafficRouting.ReplicaRatio()));

        assertThat(RESULTS.decode(awaitRecord(Topics.EXECUTOR_RESULTS, older).value()).data())
                .isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> assertThat(f.message())
                        .startsWith(StaleCommand.PREFIX).contains("release '" + newer + "'"));
        assertThat(deployment(kube, target.name()).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage()).as("not promoted").isEqualTo(ExampleApps.IMAGE + ":v1");
        assertThat(deployment(kube, target.name() + "-canary").getMetadata().getResourceVersion())
                .isEqualTo(canary.getMetadata().getResourceVersion());
        given().accept("text/plain").get("/q/metrics").then().statusCode(200).body(containsString(
                "serin_executor_commands_total{command=\"PromoteCanary\",outcome=\"stale\""));
    }

    @Test
    void takesOverTheCommandsOfAKilledInstanceWithinSecondsNotTheDefault45() throws Exception {
        var config = ConfigProvider.getConfig();
        String consumer = "mp.messaging.incoming.executor-commands.";
        String releaseId;
        Instant killedAt;
        try (GroupMemberProcess other = GroupMemberProcess.join(SharedKafka.bootstrapServers(),
                config.getValue(consumer + "group.id", String.class), Topics.EXECUTOR_COMMANDS,
                config.getValue(consumer + "session.timeout.ms", Integer.class),
                config.getValue(consumer + "heartbeat.interval.ms", Integer.class))) {
            releaseId = releaseIdIn(other.partitions());
            other.kill();
            killedAt = Instant.now();
        }
        WorkloadRef missing = new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, "not-there");
        sendCommand(releaseId, Instant.now(), weight(releaseId + "/step-0", releaseId, missing, 25));

        awaitRecord(Topics.EXECUTOR_RESULTS, releaseId);
        Duration recovery = Duration.between(killedAt, Instant.now());
        // the killed member's session must run out first: 10 s here, 45 s with Kafka's default
        assertThat(recovery).as("from the kill to the command's result").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void answersAnotherReleasesCommandOfTheSamePartitionWhileASlowGateIsStillAsked() throws Exception {
        KubernetesClient kube = SimulatedClusterResource.cluster().client();
        WorkloadRef target = installApp(kube);
        CountDownLatch asked = new CountDownLatch(1);
        HttpServer gate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gate.setExecutor(Executors.newCachedThreadPool());
        gate.createContext("/slow", exchange -> {
            asked.countDown();
            try {
                Thread.sleep(SLOW_GATE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        gate.start();
        try {
            String slow = uniqueReleaseId();
            String other = releaseIdIn(java.util.Set.of(partitionOf(slow)));
            sendCommand(slow, Instant.now(), new ExecutorCommand.CheckGate(slow + "/gate-0", slow, TARGET, V2,
                    "beforePromotion", new Webhook("http://127.0.0.1:" + gate.getAddress().getPort() + "/slow",
                            Duration.ofSeconds(60), null)));
            assertThat(asked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the executor asks the gate").isTrue();
            Instant gateAsked = Instant.now();
            sendCommand(other, Instant.now(), weight(other + "/step-0", other, target, 25));

            ConsumerRecord<String, byte[]> otherResult = awaitRecord(Topics.EXECUTOR_RESULTS, other);
            ConsumerRecord<String, byte[]> slowResult = awaitRecord(Topics.EXECUTOR_RESULTS, slow);

            assertThat(RESULTS.decode(otherResult.value()).data()).isInstanceOf(ExecutorResult.Succeeded.class);
            assertThat(RESULTS.decode(slowResult.value()).data()).isInstanceOf(ExecutorResult.Succeeded.class);
            assertThat(Instant.ofEpochMilli(otherResult.timestamp()))
                    .as("the other release's command is answered while the gate still thinks")
                    .isBefore(Instant.ofEpochMilli(slowResult.timestamp()))
                    .isBefore(gateAsked.plus(SLOW_GATE));
        } finally {
            gate.stop(0);
        }
    }

    @Test
    void deadLettersACommandThatIsNotJsonWithItsReason() {
        String releaseId = uniqueReleaseId();
        long offset = send(Topics.EXECUTOR_COMMANDS, releaseId, "garbage{".getBytes(StandardCharsets.UTF_8));

        ConsumerRecord<String, byte[]> deadLetter = awaitRecord(Topics.deadLetter(Topics.EXECUTOR_COMMANDS), releaseId);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).startsWith("not JSON");
        assertThat(header(deadLetter, Topics.DLQ_ORIGIN_HEADER)).startsWith(Topics.EXECUTOR_COMMANDS + "/")
                .endsWith("/" + offset);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage{");
    }

    @Test
    void isReadyAndExposesPrometheusMetrics() {
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Kafka connection health check")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("kafka_consumer_fetch_manager_records_consumed_total{"));
    }

    /** A release id whose records go to one of {@code partitions} (Kafka's default partitioner). */
    private static String releaseIdIn(java.util.Set<Integer> partitions) {
        while (true) {
            String id = uniqueReleaseId();
            if (partitions.contains(partitionOf(id))) {
                return id;
            }
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % SharedKafka.PARTITIONS;
    }

    /** A target of its own, so that a test's releases meet no other test's. */
    private static WorkloadRef installApp(KubernetesClient kube) {
        String name = "ledger-" + UUID.randomUUID().toString().substring(0, 8);
        ExampleApps.install(kube, ExampleApps.NAMESPACE, name, ExampleApps.IMAGE + ":v1", 3);
        await().atMost(PATIENCE).until(() -> readyReplicas(deployment(kube, name)) == 3);
        return new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, name);
    }

    private static ExecutorCommand.SetCanaryWeight weight(String commandId, String releaseId, WorkloadRef target,
            int percent) {
        return new ExecutorCommand.SetCanaryWeight(commandId, releaseId, target, V2, percent,
                new TrafficRouting.ReplicaRatio());
    }

    private static void sendCommand(String releaseId, Instant issuedAt, ExecutorCommand command) {
        send(Topics.EXECUTOR_COMMANDS, releaseId, COMMANDS.encode(CloudEvent.withId(command.commandId(), SOURCE,
                releaseId, issuedAt, command)));
    }

    /** The executor's count of failed publish attempts so far, from its Prometheus endpoint. */
    private static double publishRetries() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("serin_executor_publish_retries_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Deployment deployment(KubernetesClient kube, String name) {
        return kube.apps().deployments().inNamespace(ExampleApps.NAMESPACE).withName(name).get();
    }

    private static int readyReplicas(Deployment d) {
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
    }

    private static String uniqueReleaseId() {
        return "rel-" + UUID.randomUUID();
    }

    /** Waits for the first record keyed {@code key} on {@code topic}. */
    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        seen.add(r);
                    }
                });
                return !seen.isEmpty();
            });
            return seen.get(0);
        }
    }

}
