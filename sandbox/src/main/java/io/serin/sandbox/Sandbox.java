package io.serin.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import io.serin.sandbox.traffic.ClientPopulation;
import io.serin.sandbox.traffic.TrafficSimulator;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.KafkaBroker;
import io.serin.testsupport.SimulatedCluster;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serin's whole system on loopback: a real Kafka broker (KRaft, child JVM), a simulated Kubernetes
 * cluster holding the example apps, a traffic simulator publishing metric samples, a webhook
 * receiver standing in for chat, and the four services as separate processes.
 */
public final class Sandbox implements AutoCloseable {

    /**
     * Settings of one sandbox; {@link #defaults(Path)} suits a person watching, tests shorten them.
     *
     * @param requestsPerSecond each app's client rate
     * @param clients           who the clients are (A/B segment, API v2 share, preview testers)
     * @param metricsPort       where the traffic's Prometheus metrics are served; 0 takes a free port
     * @param plannerPort       where the planner's REST API listens; 0 takes a free port
     */
    public record Settings(Path home, Path workDir, Duration readyDelay, double requestsPerSecond, Duration tick,
            String serviceJvmOptions, ClientPopulation clients, int metricsPort, int plannerPort) {

        public Settings(Path home, Path workDir, Duration readyDelay, double requestsPerSecond, Duration tick,
                String serviceJvmOptions) {
            this(home, workDir, readyDelay, requestsPerSecond, tick, serviceJvmOptions, ClientPopulation.DEFAULT, 0, 0);
        }

        /** The same, with the traffic metrics and the planner's REST API on these ports (0: free ones). */
        public Settings withPorts(int metrics, int planner) {
            return new Settings(home, workDir, readyDelay, requestsPerSecond, tick, serviceJvmOptions, clients, metrics,
                    planner);
        }

        public static Settings defaults(Path home) {
            return new Settings(home, home.resolve(".sandbox"), Duration.ofSeconds(2), 1000, Duration.ofMillis(250),
                    "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        }
    }

    private static final URI SOURCE = URI.create("urn:serin:sandbox");
    static final List<String> SERVICES = List.of("planner-service", "executor-service", "analyzer-service",
            "notifier-service");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, Map<String, String>> serviceConfig = new java.util.HashMap<>();
    private Settings settings;
    private int restarts;
    private KafkaBroker kafka;
    private SimulatedCluster cluster;
    private io.serin.testsupport.LocalTokenIssuer issuer;
    /** The local issuer's password for every user, printed for the person at the console. */
    private final String tokenPassword = java.util.UUID.randomUUID().toString().substring(0, 12);
    /** The secret in the URL of the executor's named gate {@code gate:sandbox}: it must be shown nowhere. */
    private final String gateToken = "gate-" + java.util.UUID.randomUUID().toString().replace("-", "");
    private WebhookReceiver webhook;
    private EventLog eventLog;
    private TrafficSimulator traffic;
    private Producer<String, byte[]> producer;
    private Path logDir;
    private Supervisor supervisor;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Sandbox() {
    }

    public static Sandbox start(Settings settings) {
        Sandbox sandbox = new Sandbox();
        // whatever way the JVM ends (Ctrl-C, System.exit, the end of main), services go before the broker
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-stop"));
        try {
            sandbox.startAll(settings);
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private void startAll(Settings settings) {
        this.settings = settings;
        logDir = settings.workDir().resolve("logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // stopped by close(), after the services: a broker gone first leaves them waiting on it
        kafka = keep(KafkaBroker.start(3).stoppedByOwner());
        kafka.createTopics(Topics.allWithDeadLetters(), 3);
        cluster = keep(SimulatedCluster.start(settings.readyDelay()));
        ExampleApps.installExamples(cluster.client());
        // who may do what: the planner asks the (simulated) API server, as in a cluster; the sandbox grants
        // every verb on releases.serin.io to one group, and the tokens it hands out are in it
        SandboxAccess.grant(cluster.client());
        issuer = keep(io.serin.testsupport.LocalTokenIssuer.start(tokenPassword, Duration.ofHours(12)));
        webhook = keep(WebhookReceiver.start());
        producer = keep(KafkaClients.plaintext(kafka.bootstrapServers()).producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer()));
        eventLog = keep(new EventLog(kafka.bootstrapServers()));

        Path state = settings.workDir().resolve("state-" + ProcessHandle.current().pid());
        String servers = kafka.bootstrapServers();
        Map<String, Map<String, String>> config = Map.of(
                "planner-service", SandboxAccess.plannerConfig(Map.of("kafka.bootstrap.servers", servers,
                        "kafka-streams.state.dir", state.resolve("planner").toString()), issuer.url(), cluster.url(),
                        freePort()),
                "executor-service", Map.of("kafka.bootstrap.servers", servers,
                        "quarkus.kubernetes-client.api-server-url", cluster.url(),
                        "quarkus.kubernetes-client.trust-certs", "true",
                        "quarkus.kubernetes-client.namespace", "default",
                        "serin.executor.ready-timeout", "60s",
                        "serin.policy.namespaces", SandboxAccess.NAMESPACES,
                        "serin.policy.registries", SandboxAccess.REGISTRIES,
                        // the sandbox's own gate (WebhookReceiver /gate), named as an operator names a gate
                        // whose URL carries a secret; it is on loopback, which gates reach only when allowed.
                        // No plain URL is allowed (no allowed-hosts): a request cannot aim a gate at loopback.
                        "serin.executor.gates.sandbox.url", webhook.gateUrl() + "?token=" + gateToken,
                        "serin.executor.gates.allowed-networks", "127.0.0.1/32"),
                "analyzer-service", Map.of("kafka.bootstrap.servers", servers,
                        "kafka-streams.state.dir", state.resolve("analyzer").toString(),
                        "serin.analyzer.grace", "1s"),
                "notifier-service", Map.of("kafka.bootstrap.servers", servers,
                        "serin.notifier.webhook.url", webhook.url()));
        serviceConfig.putAll(config);
        for (String service : SERVICES) {
            int port = service.equals("planner-service") && settings.plannerPort() > 0 ? settings.plannerPort()
                    : freePort();
            services.add(keep(ServiceProcess.start(settings.home(), service, port, logDir, config.get(service),
                    settings.serviceJvmOptions())));
        }
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        supervisor = new Supervisor(this::services, this::replace, System.out::println).start();
        // the traffic also plays the Prometheus source's history role: it follows the analyses' start commands
        traffic = keep(new TrafficSimulator(cluster.client(), producer, KafkaClients.plaintext(servers),
                settings.requestsPerSecond(), settings.tick(), settings.clients(), settings.metricsPort())).start();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public KubernetesClient kubernetes() {
        return cluster.client();
    }

    public String kubernetesUrl() {
        return cluster.url();
    }

    public Path logDir() {
        return logDir;
    }

    /** The simulated traffic's running totals, in the Prometheus text format. */
    public String metricsUrl() {
        return traffic.metricsUrl();
    }

    /** A bearer token for {@code user}, who may do everything with the sandbox's releases. */
    public String token(String user) {
        return issuer.token(user, java.util.List.of(SandboxAccess.OPERATORS));
    }

    /** The local OIDC issuer's token endpoint (password grant), for a person's curl. */
    public String tokenUrl() {
        return issuer.url() + "/token";
    }

    /** The secret the named gate {@code gate:sandbox} is called with (in its URL's query). */
    String gateToken() {
        return gateToken;
    }

    /** The password the local issuer accepts for every user. */
    public String tokenPassword() {
        return tokenPassword;
    }

    /** The planner's operator API as the sandbox's own operator {@code user} calls it. */
    PlannerApi plannerApi() {
        return new PlannerApi(plannerUrl(), this::token);
    }

    /** The planner's operator REST API (one instance; {@code POST /releases} and the actions). */
    public String plannerUrl() {
        return "http://127.0.0.1:" + service("planner-service").httpPort();
    }

    TrafficSimulator traffic() {
        return traffic;
    }

    private synchronized ServiceProcess service(String module) {
        return services.stream().filter(s -> s.name().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + module));
    }

    /** Process ids of everything the sandbox runs: this JVM (cluster, traffic, webhook), the broker, the services. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid(), kafka.pid()));
        services.forEach(s -> pids.add(s.pid()));
        return pids;
    }

    synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    WebhookReceiver webhook() {
        return webhook;
    }

    EventLog eventLog() {
        return eventLog;
    }

    /**
     * Kills a service with SIGKILL, as a crash would, and starts it again with the same
     * configuration and state directory; returns once it is ready again.
     */
    public void killAndRestart(String module) {
        ServiceProcess fresh;
        synchronized (this) {
            ServiceProcess old = service(module);
            old.kill();
            fresh = replace(old, "killed");
        }
        fresh.awaitReady(Duration.ofSeconds(120));
    }

    /** Kills a service with SIGKILL, as a crash would; the supervisor starts it again, as a kubelet would. */
    public synchronized void kill(String module) {
        service(module).kill();
    }

    /** How often the supervisor restarted a service. */
    public int restarts(String module) {
        return supervisor == null ? 0 : supervisor.restarts(module);
    }

    /** Whether the service's current process is ready ({@code /q/health/ready}). */
    public boolean ready(String module) {
        ServiceProcess current;
        synchronized (this) {
            current = service(module);
        }
        return current.alive() && current.probe("/q/health/ready");
    }

    /** Kills the broker (SIGKILL), as an outage would; {@link #startBroker()} brings it back with its data. */
    public void killBroker() {
        kafka.kill();
    }

    public void startBroker() {
        kafka.restart();
    }

    /** Replaces a service's process by a fresh one with the same port, configuration and state directory. */
    private synchronized ServiceProcess replace(ServiceProcess old, String why) {
        if (!services.contains(old)) {
            return service(old.name()); // replaced meanwhile
        }
        if (old.alive()) {
            old.kill();
        }
        services.remove(old);
        resources.remove(old);
        // the restarted process logs beside the first one, in its own directory, so neither log is lost
        Path restartLogs = logDir.resolve("restart-" + (++restarts));
        try {
            Files.createDirectories(restartLogs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess fresh = keep(ServiceProcess.start(settings.home(), old.name(), old.httpPort(), restartLogs,
                serviceConfig.get(old.name()), settings.serviceJvmOptions()));
        services.add(fresh);
        return fresh;
    }

    /** Installs another Deployment (3 replicas) and its Service, e.g. to run releases side by side. */
    public void installApp(String namespace, String name, String image) {
        ExampleApps.install(cluster.client(), namespace, name, image, 3);
    }

    /** Publishes a release request, as CI or a chat bot would. */
    public void submit(ReleaseRequested request) {
        submitRaw(request.releaseId(), EventCodec.of(ReleaseRequestMessage.class)
                .encode(CloudEvent.of(SOURCE, request.releaseId(), Instant.now(), request)));
    }

    /** Publishes arbitrary bytes as a release request (for malformed-input scenarios). */
    public void submitRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.RELEASE_REQUESTS, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish release request " + key, e);
        }
    }

    /** The release's event log so far. */
    public List<ReleaseEvent> events(String releaseId) {
        return eventLog.of(releaseId);
    }

    /**
     * Stops everything within seconds, in the order a cluster would: nothing restarts any more, the
     * services stop together (SIGTERM, then SIGKILL after {@link ServiceProcess#STOP_GRACE}), and only
     * then the traffic, the cluster and the broker.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closed already, e.g. by the caller before the shutdown hook runs
        }
        if (supervisor != null) {
            supervisor.close();
        }
        List<ServiceProcess> running;
        synchronized (this) {
            running = List.copyOf(services);
        }
        running.forEach(ServiceProcess::terminate);
        Instant deadline = Instant.now().plus(ServiceProcess.STOP_GRACE);
        running.forEach(service -> service.awaitExit(deadline));
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("sandbox: closing " + resources.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        resources.clear();
    }

    /** {@code preferred} if nothing listens there on loopback, else 0 (a free port, chosen later). */
    public static int ifFree(int preferred) {
        try (ServerSocket socket = new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
