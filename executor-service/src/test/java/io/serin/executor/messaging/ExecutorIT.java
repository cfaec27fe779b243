package io.serin.executor.messaging;

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
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.testing.SimulatedClusterResource;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.KafkaTestResource;
import io.serin.testsupport.SharedKafka;

import static io.serin.testsupport.TopicRecords.header;
import static io.serin.testsupport.TopicRecords.send;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
