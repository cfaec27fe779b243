package io.serin.executor.messaging;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.Topics;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.testing.OwnKafkaResource;
import io.serin.executor.testing.SimulatedClusterResource;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The executor through a real broker crash: the broker is killed while a command is being
 * applied, so its result cannot be written, and started again. The consumer must not stop, the
 * result must arrive, and the commands after it must be answered, without a restart of the executor.
 * The command is a webhook gate whose answer the test holds back until the broker is down.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnKafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SimulatedClusterResource.class, restrictToAnnotatedClass = true)
class BrokerOutageIT {

    private static final URI SOURCE = URI.create("urn:test:broker-outage-it");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final WorkloadRef TARGET =
            new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, ExampleApps.NAME);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);

    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    private HttpServer gate;

    @BeforeEach
    void startGate() throws IOException {
        gate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gate.createContext("/gate", exchange -> {
            asked.countDown();
            try {
                answer.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gate.start();
    }

    @AfterEach
    void stopGate() {
        answer.countDown();
        gate.stop(0);
    }

    @Test
    void answersTheCommandItWasApplyingWhenTheBrokerCrashedAndGoesOnAfterItsRestart() throws Exception {
        String during = "rel-" + UUID.randomUUID();
        send(during, checkGate(during));
        assertThat(asked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the executor asks the gate").isTrue();

        OwnKafkaResource.broker().kill();
        answer.countDown();
        await().atMost(PATIENCE).until(() -> publishRetries() > 0);
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        OwnKafkaResource.broker().restart();

        assertThat(awaitResults(during)).allSatisfy(r -> assertThat(r).isInstanceOf(ExecutorResult.Succeeded.class));
        String after = "rel-" + UUID.randomUUID();
        send(after, checkGate(after));
        assertThat(awaitResults(after)).as("the consumer goes on after the outage").isNotEmpty();
    }

    private ExecutorCommand.CheckGate checkGate(String releaseId) {
        return new ExecutorCommand.CheckGate(releaseId + "/gate-0", releaseId, TARGET, null, "approval",
                new Webhook("http://127.0.0.1:" + gate.getAddress().getPort() + "/gate", Duration.ofSeconds(60),
                        null));
    }

    /** The executor's count of failed publish attempts so far, from its Prometheus endpoint. */
    private static double publishRetries() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("serin_executor_publish_retries_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void send(String releaseId, ExecutorCommand command) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, OwnKafkaResource.broker().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.EXECUTOR_COMMANDS, releaseId, COMMANDS.encode(
                    CloudEvent.withId(command.commandId(), SOURCE, releaseId, Instant.now(), command))))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits for the results keyed {@code releaseId}: one, or more where an outage duplicated it. */
    private static List<ExecutorResult> awaitResults(String releaseId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, OwnKafkaResource.broker().bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(Topics.EXECUTOR_RESULTS, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ExecutorResult> seen = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (releaseId.equals(r.key())) {
                        seen.add(RESULTS.decode(r.value()).data());
                    }
                }
                return !seen.isEmpty();
            });
            return seen;
        }
    }
}
