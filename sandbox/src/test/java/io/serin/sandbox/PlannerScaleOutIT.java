package io.serin.sandbox;

import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.testsupport.OperatorAccess;
import io.serin.testsupport.SharedKafka;
import io.serin.testsupport.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two planner instances share the releases by partition: every release is handled by exactly one
 * of them (each command exactly once), either instance answers for every release, and when one is
 * killed the other takes its releases over and carries them on.
 */
class PlannerScaleOutIT {

    private static final int RELEASES = 12;
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private static final String PEER_TOKEN = UUID.randomUUID().toString();
    private static final Map<String, Integer> PEER_PORTS = new HashMap<>();
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void startTwoPlanners() throws IOException {
        Path home = Path.of(System.getProperty("serin.home", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(home.resolve("sandbox/target/planner-scale-out-it/" + RUN));
        String jvm = Sandbox.Settings.defaults(home).serviceJvmOptions();
        first = start(home, work, "a", jvm);
        second = start(home, work, "b", jvm);
        first.awaitReady(Duration.ofSeconds(120));
        second.awaitReady(Duration.ofSeconds(120));
    }

    private static ServiceProcess start(Path home, Path work, String name, String jvm) throws IOException {
        int port = freePort();
        int peerPort = freePort();
        PEER_PORTS.put(name, peerPort);
        Path logs = Files.createDirectories(work.resolve(name));
        Map<String, String> config = new HashMap<>(OperatorAccess.config());
        config.putAll(Map.of(
                "kafka.bootstrap.servers", SharedKafka.bootstrapServers(),
                "kafka-streams.state.dir", work.resolve(name + "-state").toString(),
                "serin.planner.advertised-host", "127.0.0.1",
                "serin.planner.peers.port", Integer.toString(peerPort),
                "serin.planner.peers.token", PEER_TOKEN,
                "serin.policy.namespaces", "payments",
                "serin.policy.registries", "registry.example.com"));
        return ServiceProcess.start(home, "planner-service", port, logs, config, jvm);
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] {first, second}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void sharesReleasesWithoutDoubleHandlingAnswersForAllAndTakesOverWhenOneDies() throws Exception {
        List<String> ids = idsOnEveryPartition();
        for (String id : ids) {
            ReleaseRequested request = new ReleaseRequested(id, new WorkloadRef("Deployment", "payments", "app-" + id),
                    new VersionSpec("registry.example.com/app:v2", null), new Strategy.Canary(
                            new TrafficRouting.ReplicaRatio(), List.of(new CanaryStep.SetWeight(10),
                            new CanaryStep.Pause(null), new CanaryStep.SetWeight(50), new CanaryStep.Pause(null))),
                    "it");
            TopicRecords.send(Topics.RELEASE_REQUESTS, id, REQUESTS.encode(CloudEvent.of(URI.create("urn:it"), id,
                    Instant.now(), request)));
        }
        for (String id : ids) {
            confirm(TopicRecords.awaitRecords(Topics.EXECUTOR_COMMANDS, id, 1).get(0));
        }
        for (String id : ids) {
            awaitPhase(first, id, "PAUSED");
            awaitPhase(second, id, "PAUSED");
        }
        int onFirst = localCount(first);
        int onSecond = localCount(second);
        assertThat(onFirst + onSecond).isEqualTo(RELEASES);
        assertThat(onFirst).as("releases held by the first instance").isPositive();
        assertThat(onSecond).as("releases held by the second instance").isPositive();
        assertThat(body(get(first, "/releases?limit=1000"))).contains(ids.toArray(String[]::new));

        second.kill();
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                    post(first, "/releases/" + id + "/promote").statusCode() == 202);
        }
        for (String id : ids) {
            confirm(TopicRecords.awaitRecords(Topics.EXECUTOR_COMMANDS, id, 2).get(1));
            awaitPhase(first, id, "PAUSED");
        }
        Map<String, List<String>> commandIds = commandIdsByRelease();
        for (String id : ids) {
            assertThat(commandIds.get(id)).as("commands of %s", id).containsExactly(id + "/step-0", id + "/step-2");
        }
    }

    /**
     * Release ids spread evenly over the partitions, so that whichever partitions an instance owns,
     * it holds releases: ids left to chance all land outside a lone partition about once in 130 runs.
     */
    private static List<String> idsOnEveryPartition() {
        int perPartition = RELEASES / SharedKafka.PARTITIONS;
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (int i = 0; byPartition.values().stream().mapToInt(List::size).sum() < RELEASES; i++) {
            String id = "scale-" + RUN + "-" + i;
            List<String> onPartition = byPartition.computeIfAbsent(
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % SharedKafka.PARTITIONS,
                    p -> new ArrayList<>());
            if (onPartition.size() < perPartition) {
                onPartition.add(id);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }

    private static void confirm(ConsumerRecord<String, byte[]> command) {
        ExecutorCommand c = COMMANDS.decode(command.value()).data();
        TopicRecords.send(Topics.EXECUTOR_RESULTS, c.releaseId(), RESULTS.encode(CloudEvent.of(URI.create("urn:it"),
                c.releaseId(), Instant.now(), new ExecutorResult.Succeeded(c.commandId(), c.releaseId(), Instant.now(),
                        "done", null))));
    }

    private static void awaitPhase(ServiceProcess planner, String id, String phase) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(body(get(planner, "/releases/" + id))).contains("\"phase\":\"" + phase + "\""));
    }

    private static int localCount(ServiceProcess planner) throws Exception {
        // the peer endpoint: its own port, the peers' token; the public port does not serve it
        assertThat(get(planner, "/internal/releases?limit=1000").statusCode()).isIn(401, 404);
        int peerPort = PEER_PORTS.get(planner == first ? "a" : "b");
        URI peer = URI.create("http://127.0.0.1:" + peerPort + "/internal/releases?limit=1000");
        assertThat(HTTP.send(HttpRequest.newBuilder(peer).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("without the peers' token").isEqualTo(403);
        String json = body(HTTP.send(HttpRequest.newBuilder(peer).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + PEER_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()));
        int count = 0;
        for (var state : EventCodec.mapper().readTree(json)) {
            count += state.path("releaseId").asText().startsWith("scale-" + RUN) ? 1 : 0;
        }
        return count;
    }

    /** Every command on the topic, committed ones only, by release. */
    private static Map<String, List<String>> commandIdsByRelease() {
        Map<String, List<String>> byRelease = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(Topics.EXECUTOR_COMMANDS, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> byRelease
                        .computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(COMMANDS.decode(r.value()).data().commandId()));
            }
        }
        return byRelease;
    }

    private static HttpResponse<String> get(ServiceProcess planner, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + planner.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + OperatorAccess.admin("it"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServiceProcess planner, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + planner.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + OperatorAccess.admin("it"))
                .header("X-Requested-By", "it")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
