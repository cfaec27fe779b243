package io.serin.testsupport;

import io.serin.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, single-node Apache Kafka broker in KRaft mode (combined broker and controller), run as a
 * child JVM from the jars Maven resolved for {@code kafka-runtime}. No Docker, no ZooKeeper; it
 * listens on loopback only and is stopped with the JVM that started it.
 *
 * <p>{@link #start} serves PLAINTEXT without authorization. {@link #startSecured} serves SASL/SCRAM-SHA-512
 * (over plaintext: loopback only) and enforces ACLs with KRaft's {@code StandardAuthorizer}: a user may
 * do only what an ACL allows, but the {@linkplain Scram#superUser() super user}, which the broker itself
 * and {@link #createTopics} use.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/io/serin/kafka/runtime.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The release log is the audit trail: kept as deployed (deploy/strimzi/topics.yaml), not the broker's 7 days. */
    private static final Map<String, Map<String, String>> TOPIC_CONFIGS = Map.of(Topics.RELEASE_EVENTS, Map.of(
            "retention.ms", String.valueOf(Duration.ofDays(400).toMillis()), "cleanup.policy", "delete"));

    /**
     * A secured broker's users, with their passwords: the super user (also the broker's own, between its
     * listeners) and the others, created with the log directory, before the broker starts.
     */
    public record Scram(String superUser, String superUserPassword, Map<String, String> users) {

        public Scram {
            users = Map.copyOf(users);
        }
    }

    private final Path dir;
    private final int port;
    private volatile Process process;
    private final String classpath;
    /** What the super user's clients add to connect; empty for a plaintext broker. */
    private final Map<String, Object> superUserSecurity;
    private final Thread stopOnExit = new Thread(this::close, "serin-kafka-stop");

    private KafkaBroker(Path dir, int port, Process process, String classpath, Map<String, Object> superUserSecurity) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.classpath = classpath;
        this.superUserSecurity = superUserSecurity;
    }

    /** Formats a fresh log directory and starts a broker on free loopback ports; returns when it serves. */
    public static KafkaBroker start(int defaultPartitions) {
        return start(defaultPartitions, null);
    }

    /**
     * Like {@link #start(int)}, but clients must authenticate with SCRAM-SHA-512 as one of {@code scram}'s
     * users ({@link #clientSecurity}) and may do only what ACLs allow, which the super user creates.
     */
    public static KafkaBroker startSecured(int defaultPartitions, Scram scram) {
        return start(defaultPartitions, scram);
    }

    private static KafkaBroker start(int defaultPartitions, Scram scram) {
        try {
            Path dir = Files.createTempDirectory("serin-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir.resolve("logs"), port, controllerPort, defaultPartitions)
                    + (scram == null ? "" : securedProperties(port, controllerPort, scram)));
            String classpath = brokerClasspath();

            List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
            if (scram != null) {
                // SCRAM credentials live in the cluster metadata: created with it, they exist before the
                // broker's own listener needs the super user's
                format.addAll(List.of("--add-scram", credential(scram.superUser(), scram.superUserPassword())));
                scram.users().forEach((user, password) -> format.addAll(List.of("--add-scram", credential(user, password))));
            }
            Process formatting = java(classpath, dir.resolve("format.log"), format);
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                formatting.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka log directory failed; see "
                        + dir.resolve("format.log") + ":\n" + tail(dir.resolve("format.log")));
            }
            Process broker = java(classpath, dir.resolve("broker.log"), List.of("kafka.Kafka", config.toString()));
            KafkaBroker kafka = new KafkaBroker(dir, port, broker, classpath,
                    scram == null ? Map.of() : clientSecurity(scram.superUser(), scram.superUserPassword()));
            Runtime.getRuntime().addShutdownHook(kafka.stopOnExit);
            kafka.awaitServing();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka broker", e);
        }
    }

    /**
     * Leaves stopping the broker at JVM exit to the caller, who must stop its clients first: a
     * broker that goes before its clients leaves them waiting on it until their own timeouts.
     */
    public KafkaBroker stoppedByOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        return this;
    }

    /** Kills the broker as a crash would (SIGKILL), keeping its logs, so that {@link #restart()} brings it back. */
    public void kill() {
        Process p = process;
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the broker again on the same ports and logs; returns when it serves. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        try {
            process = java(classpath, dir.resolve("broker.log"), List.of("kafka.Kafka",
                    dir.resolve("server.properties").toString()));
            awaitServing();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's process id, e.g. to measure its memory. */
    public long pid() {
        return process.pid();
    }

    /** The broker's own log, for diagnosing a failed test. */
    public Path logFile() {
        return dir.resolve("broker.log");
    }

    /**
     * What a client adds to its settings to connect to a {@linkplain #startSecured secured} broker as
     * {@code user}: SASL over plaintext, SCRAM-SHA-512, and the user's JAAS login.
     */
    public static Map<String, Object> clientSecurity(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", jaas(user, password));
    }

    /** What the super user's clients add to connect ({@link #clientSecurity}); empty for a plaintext broker. */
    public Map<String, Object> superUserSecurity() {
        return superUserSecurity;
    }

    /**
     * Creates topics (idempotently) with the given partition count and replication factor 1, as the
     * super user of a secured broker; {@value Topics#RELEASE_EVENTS} keeps its deployed retention.
     */
    public void createTopics(Collection<String> topics, int partitions) {
        createTopics(bootstrapServers(), superUserSecurity, topics, partitions, Map.of());
    }

    /** Creates topics (idempotently) on any broker. */
    public static void createTopics(String bootstrapServers, Collection<String> topics, int partitions) {
        createTopics(bootstrapServers, Map.of(), topics, partitions, Map.of());
    }

    private static void createTopics(String bootstrapServers, Map<String, Object> security, Collection<String> topics,
            int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers, security, 30_000))) {
            List<NewTopic> newTopics = topics.stream().map(t -> {
                Map<String, String> topicConfigs = new HashMap<>(TOPIC_CONFIGS.getOrDefault(t, Map.of()));
                topicConfigs.putAll(configs);
                return new NewTopic(t, partitions, (short) 1).configs(topicConfigs);
            }).toList();
            admin.createTopics(newTopics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(dir);
    }

    private void awaitServing() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ":\n"
                        + tail(logFile()));
            }
            try (Admin admin = Admin.create(adminConfig(bootstrapServers(), superUserSecurity, 2_000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        close();
        throw new IllegalStateException("Kafka broker did not serve within " + START_TIMEOUT + ":\n" + tail(logFile()),
                last);
    }

    private static Map<String, Object> adminConfig(String bootstrapServers, Map<String, Object> security,
            int timeoutMs) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        return config;
    }

    /** Overrides the plaintext listener of {@link #serverProperties} (a later key wins in a properties file). */
    private static String securedProperties(int port, int controllerPort, Scram scram) {
        return String.join("\n",
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=" + SCRAM_MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + SCRAM_MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                        + jaas(scram.superUser(), scram.superUserPassword()),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                // ANONYMOUS: the broker's requests to its own controller, over the loopback-only
                // PLAINTEXT controller listener; SCRAM cannot authenticate there before metadata is loaded
                "super.users=User:" + scram.superUser() + ";User:ANONYMOUS",
                "");
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String credential(String user, String password) {
        return SCRAM_MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    private static String serverProperties(Path logs, int port, int controllerPort, int partitions) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=" + partitions,
                // Topics are provisioned explicitly, as in production: a typo must not create a topic.
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.segment.bytes=16777216",
                "") ;
    }

    private static Process java(String classpath, Path log, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("serin.kafka.jvm-options", "-Xms64m -Xmx512m -XX:+UseG1GC")
                .trim().split("\\s+")));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("serin.kafka.log-level", "warn"));
        command.add("-cp");
        command.add(classpath);
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the kafka-runtime module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
