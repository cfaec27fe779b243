package io.serin.sandbox;

import io.serin.events.Topics;
import io.serin.testsupport.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What the planner benchmark runs against: a real broker (KRaft, child JVM) with the contract's
 * topics, the planner's packaged app as a child JVM (and nothing else), and a producer for the
 * inputs the benchmark plays (requests, operator actions, executor results, verdicts).
 */
final class PlannerBenchRig implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final KafkaBroker kafka;
    private final ServiceProcess planner;
    private final Producer<String, byte[]> producer;

    private PlannerBenchRig(KafkaBroker kafka, ServiceProcess planner, Producer<String, byte[]> producer) {
        this.kafka = kafka;
        this.planner = planner;
        this.producer = producer;
    }

    /**
     * Starts a broker with every contract topic at {@code partitions} partitions and the planner from
     * {@code appHome} (see {@link #snapshotPlanner}) with {@code overrides} on top of its own defaults.
     */
    static PlannerBenchRig start(Path appHome, Path workDir, int partitions, Map<String, String> overrides,
            String jvmOptions) {
        KafkaBroker kafka = KafkaBroker.start(partitions);
        ServiceProcess planner = null;
        try {
            kafka.createTopics(Topics.allWithDeadLetters(), partitions);
            Path logs = Files.createDirectories(workDir.resolve("logs"));
            Path state = workDir.resolve("state");
            deleteRecursively(state);
            // the planner's API trusts a local issuer and asks a simulated API server, as in the sandbox
            Map<String, String> config = new HashMap<>(io.serin.testsupport.OperatorAccess.config());
            config.put("serin.policy.namespaces", "*");
            config.put("serin.policy.registries", "registry.example.com");
            config.putAll(overrides);
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("kafka-streams.state.dir", state.toString());
            planner = ServiceProcess.start(appHome, "planner-service", freePort(), logs, config, jvmOptions);
            planner.awaitReady(Duration.ofSeconds(180));
            Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    // no lingering: an input's send time is when it leaves for the broker
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
            return new PlannerBenchRig(kafka, planner, producer);
        } catch (IOException | RuntimeException e) {
            if (planner != null) {
                planner.close();
            }
            kafka.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Copies the planner's packaged app ({@code planner-service/target/quarkus-app}) to a home of its
     * own, so that a rebuild of the module while the benchmark runs cannot change the jars under it.
     */
    static Path snapshotPlanner(Path home, Path workDir) throws IOException {
        Path from = home.resolve("planner-service/target/quarkus-app");
        if (!Files.isRegularFile(from.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(from + " is missing: build with 'mvn -DskipTests install' first");
        }
        Path appHome = workDir.resolve("app");
        Path to = appHome.resolve("planner-service/target/quarkus-app");
        deleteRecursively(appHome);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return appHome;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    long plannerPid() {
        return planner.pid();
    }

    long brokerPid() {
        return kafka.pid();
    }

    Path plannerLog() {
        return planner.log();
    }

    boolean plannerAlive() {
        return planner.alive();
    }

    /** Publishes without waiting; {@code acked} (may be null) gets the microseconds until the broker's ack. */
    void send(String topic, String key, byte[] value, PlannerBenchStats acked) {
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                System.err.println("planner bench: cannot publish to " + topic + " for " + key + ": " + e);
            } else if (acked != null) {
                acked.add((System.nanoTime() - sent) / 1000);
            }
        });
    }

    /**
     * The planner's Kafka Streams thread metrics (Prometheus names without the
     * {@code kafka_stream_thread_} prefix), as {@code /q/metrics} shows them now; empty if unavailable.
     */
    Map<String, Double> streamThreadMetrics() {
        Map<String, Double> metrics = new java.util.TreeMap<>();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + planner.httpPort() + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (line.startsWith("kafka_stream_thread_")) {
                    String name = line.substring("kafka_stream_thread_".length(), line.indexOf('{'));
                    metrics.put(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("planner bench: no metrics: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return metrics;
    }

    /** A reader allowed everything (OperatorAccess's admins), for the status reads. */
    private static final String TOKEN = io.serin.testsupport.OperatorAccess.admin("planner-bench");

    void flush() {
        producer.flush();
    }

    /** How many of {@code ids} the planner's REST API reports in phase {@code phase}. */
    int countInPhase(List<String> ids, String phase) throws InterruptedException {
        AtomicInteger matching = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(8);
        String expected = "\"phase\":\"" + phase + "\"";
        for (String id : ids) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + planner.httpPort()
                    + "/releases/" + id)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TOKEN).build();
            CompletableFuture<HttpResponse<String>> response = HTTP.sendAsync(request,
                    HttpResponse.BodyHandlers.ofString());
            response.whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 200 && r.body().contains(expected)) {
                    matching.incrementAndGet();
                } else if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(8);
        if (failed.get() > 0) {
            System.err.println("planner bench: " + failed.get() + " status requests failed");
        }
        return matching.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        planner.close();
        kafka.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
