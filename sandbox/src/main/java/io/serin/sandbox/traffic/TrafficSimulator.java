package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.MetricCheck;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every tick: reads the cluster, routes each app's clients as its live routing objects say
 * ({@link TrafficModel}), lets each variant answer as its image behaves ({@link Behaviour}), and
 * publishes, per release in flight, each variant's {@code requests}, {@code errors} and
 * {@code latency} histogram of that tick in one batch of metric samples; every app's running totals are served in the
 * Prometheus format ({@link #metricsUrl()}).
 *
 * <p>It also plays the analyzer's Prometheus source's history role (docs/prometheus.md): it keeps each
 * app's variant roles' recent traffic ({@link TallyHistory}, at most the last hour), follows
 * {@value Topics#ANALYSIS_COMMANDS}, and when an analysis starts for a release in flight here, publishes
 * one {@link MetricHistory} per variant the analysis' checks compare with, so that the sequential judge
 * starts knowing how noisy that variant is, as it would in a cluster with Prometheus. As a cluster's
 * stable versions have served long before a release, each app's stable deployment is taken to have
 * served the hour before the simulator first saw it, as it serves then.
 */
public final class TrafficSimulator implements AutoCloseable {

    private static final URI SOURCE = URI.create("urn:serin:sandbox:traffic");
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    /**
     * How long after an analysis' start (or after its start command is read, if later) its histories
     * are sent: the analyzer ignores a history that arrives before it has started the analysis, and the
     * step that ends at the start is then whole.
     */
    static final Duration HISTORY_DELAY = Duration.ofSeconds(1);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KubernetesClient kube;
    private final Producer<String, byte[]> producer;
    private final TrafficModel model;
    private final Duration tick;
    private final Map<String, Meter> meters = new HashMap<>();
    private final PrometheusMetrics prometheus = new PrometheusMetrics();
    private final MetricsEndpoint endpoint;
    private volatile List<AppTraffic> last = List.of();
    /** Per {@code namespace/app/variant}: its recent traffic. Guarded by {@code this}. */
    private final Map<String, TallyHistory> histories = new HashMap<>();
    /** Per release in flight here (or in the last hour): its app, {@code namespace/app}, and when it was seen. */
    private final Map<String, Seen> releases = new HashMap<>();
    /** Start commands, read on their own thread; null without them (no histories are sent). */
    private final Consumer<String, byte[]> commands;
    private final Thread commandReader;
    /** How long each app's stable deployment is taken to have served before the simulator first saw it. */
    private final Duration servedBefore;
    private volatile boolean running = true;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic-simulator");
        t.setDaemon(true);
        return t;
    });

    private record Seen(String app, Instant at) {
    }

    /**
     * {@code requestsPerSecond} is each app's client rate; {@code metricsPort} 0 takes a free port;
     * {@code kafka} are the clients of the broker whose analysis start commands the simulator follows to
     * send the compared variants' histories.
     */
    public TrafficSimulator(KubernetesClient kube, Producer<String, byte[]> producer, KafkaClients kafka,
            double requestsPerSecond, Duration tick, ClientPopulation clients, int metricsPort) {
        this(kube, producer, commandConsumer(kafka), requestsPerSecond, tick, clients, metricsPort, TallyHistory.SPAN);
    }

    /**
     * With {@code commands} (subscribed by {@link #start()}), or null to send no histories; each app's
     * stable deployment is taken to have served {@code servedBefore} (at most an hour is kept) before
     * the simulator first saw it.
     */
    TrafficSimulator(KubernetesClient kube, Producer<String, byte[]> producer, Consumer<String, byte[]> commands,
            double requestsPerSecond, Duration tick, ClientPopulation clients, int metricsPort,
            Duration servedBefore) {
        this.servedBefore = servedBefore;
        this.kube = kube;
        this.producer = producer;
        this.model = new TrafficModel(clients, requestsPerSecond);
        this.tick = tick;
        this.commands = commands;
        this.commandReader = commands == null ? null : new Thread(this::readCommands, "traffic-simulator-commands");
        if (commandReader != null) {
            commandReader.setDaemon(true);
        }
        this.endpoint = MetricsEndpoint.start(prometheus, metricsPort);
    }

    /**
     * A consumer of the analysis start commands in a group of its own, committed records only: from the
     * earliest, so no start published while it joins is missed (commands of analyses already over are
     * skipped).
     */
    static Consumer<String, byte[]> commandConsumer(KafkaClients kafka) {
        return kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "serin-sandbox-traffic-" + UUID.randomUUID(),
                ConsumerConfig.CLIENT_ID_CONFIG, "serin-sandbox-traffic",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    public TrafficSimulator start() {
        scheduler.scheduleAtFixedRate(this::safeTick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        if (commandReader != null) {
            commandReader.start();
        }
        return this;
    }

    /** Where the running totals are served in the Prometheus text format. */
    public String metricsUrl() {
        return endpoint.url();
    }

    /** Each app's traffic in the last tick. */
    public List<AppTraffic> lastTick() {
        return last;
    }

    private void safeTick() {
        try {
            tickOnce(Instant.now());
        } catch (RuntimeException e) {
            // the API server may be closing, or briefly unreachable; the next tick reads it again
            System.err.println("traffic simulator: " + e);
        }
    }

    void tickOnce(Instant now) {
        ClusterView view = ClusterView.read(kube);
        double seconds = tick.toMillis() / 1000.0;
        List<AppTraffic> apps = model.route(view);
        Map<String, List<MetricSampleBatch.Entry>> batches = new LinkedHashMap<>();
        for (AppTraffic app : apps) {
            AppVariants variants = AppVariants.of(view, app.namespace(), app.app());
            for (Map.Entry<Variant, Deployment> v : variants.deployments().entrySet()) {
                Deployment d = v.getValue();
                Tally tally = meters.computeIfAbsent(app.namespace() + "/" + app.app() + "/" + v.getKey().label(),
                        k -> new Meter()).add(app.rate(d.getMetadata().getName()) * seconds,
                        Behaviour.of(AppVariants.image(d)));
                prometheus.add(app.namespace(), app.app(), v.getKey(), tally);
                remember(app.namespace() + "/" + app.app(), v.getKey(), variants.releases(), now, tally,
                        app.rate(d.getMetadata().getName()) * seconds, Behaviour.of(AppVariants.image(d)));
                for (String releaseId : variants.releases()) {
                    add(batches.computeIfAbsent(releaseId, id -> new ArrayList<>()), v.getKey(), tally);
                }
            }
        }
        forget(now);
        // One batch per release and tick, as a mesh adapter publishes: every variant and metric at once.
        batches.forEach((releaseId, entries) -> producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, releaseId,
                SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, now, new MetricSampleBatch(releaseId, now,
                        List.copyOf(entries)))))));
        last = List.copyOf(apps);
        producer.flush();
    }

    /** Adds the tick to the app's variant role's history, and notes the releases in flight on the app. */
    private synchronized void remember(String app, Variant variant, Set<String> inFlight, Instant now, Tally tally,
            double expected, Behaviour behaviour) {
        for (String releaseId : inFlight) {
            releases.put(releaseId, new Seen(app, now));
        }
        TallyHistory ring = histories.get(app + "/" + variant.label());
        if (ring == null) {
            if (variant == Variant.STABLE && !(expected > 0)) {
                // no client has reached the app yet: its past is taken at the first tick that serves some,
                // not at a rate of zero (a history of nothing teaches the judge nothing)
                return;
            }
            ring = new TallyHistory(tick);
            histories.put(app + "/" + variant.label(), ring);
            if (variant == Variant.STABLE) {
                served(ring, now, expected, behaviour);
            }
        }
        ring.add(now, tally);
    }

    /**
     * What an app's stable deployment served before the simulator first saw it, as a cluster's
     * Prometheus would hold it: {@link #servedBefore} of ticks at the rate and behaviour of its first
     * tick. The sandbox's apps have been "serving" for only seconds when its first release starts;
     * in a cluster their stable versions have served for hours, and that is what the analyzer's history
     * query finds. Canary and baseline deployments exist only for a release and get no such past.
     */
    private void served(TallyHistory ring, Instant now, double expected, Behaviour behaviour) {
        long ticks = Math.min(servedBefore.toMillis(), (long) ring.capacity() * ring.step().toMillis())
                / tick.toMillis();
        Meter meter = new Meter();
        for (long k = ticks; k >= 1; k--) {
            ring.add(now.minus(tick.multipliedBy(k)), meter.add(expected, behaviour));
        }
    }

    /** Drops histories no tick added to for longer than a history spans, and releases not seen as long. */
    private synchronized void forget(Instant now) {
        Instant horizon = now.minus(TallyHistory.SPAN);
        releases.values().removeIf(seen -> seen.at().isBefore(horizon));
        for (Iterator<TallyHistory> it = histories.values().iterator(); it.hasNext(); ) {
            Instant last = it.next().lastTick();
            if (last == null || last.isBefore(horizon)) {
                it.remove();
            }
        }
    }

    /**
     * The histories to send when {@code start} begins: one per variant its comparing checks compare with
     * (no {@code compareTo}: stable), each the app's traffic of that role up to the analysis' start.
     * Empty when the release is not in flight here or nothing of its app was seen yet.
     */
    synchronized List<MetricHistory> histories(AnalysisCommand.Start start) {
        Seen seen = start.releaseId() == null ? null : releases.get(start.releaseId());
        if (seen == null || start.metrics() == null || start.startAt() == null) {
            return List.of();
        }
        Set<Variant> compared = EnumSet.noneOf(Variant.class);
        for (MetricCheck check : start.metrics()) {
            if (check == null || check.judge() == null || check.judge() instanceof Judge.Threshold) {
                continue; // a threshold compares with nothing
            }
            compared.add(check.compareTo() == null ? Variant.STABLE : check.compareTo());
        }
        List<MetricHistory> out = new ArrayList<>();
        for (Variant variant : compared) {
            // A baseline did not exist before the release: it runs the stable version, next to the canary,
            // so its noise is the stable deployment's, which has served the app since the sandbox started.
            // The baseline's history is therefore the stable deployment's, sent under variant BASELINE.
            Variant role = variant == Variant.BASELINE ? Variant.STABLE : variant;
            TallyHistory ring = histories.get(seen.app() + "/" + role.label());
            MetricHistory history = ring == null ? null : ring.history(start.releaseId(), variant, start.startAt());
            if (history != null && history.problem() == null) {
                out.add(history);
            }
        }
        return out;
    }

    /** Publishes {@code start}'s histories, as the Prometheus source would (event id {@code <analysisId>/<variant>/history}). */
    void sendHistories(AnalysisCommand.Start start, Instant now) {
        List<MetricHistory> sent = histories(start);
        for (MetricHistory history : sent) {
            producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, history.releaseId(), SAMPLES.encode(
                    CloudEvent.withId(start.analysisId() + "/" + history.variant().label() + "/history", SOURCE,
                            history.releaseId(), now, history))));
        }
        if (!sent.isEmpty()) {
            producer.flush();
        }
    }

    /** Schedules {@code start}'s histories {@link #HISTORY_DELAY} after it starts (or now, if it has), on the tick's thread. */
    void onStart(AnalysisCommand.Start start, Instant now) {
        if (start.releaseId() == null || start.startAt() == null || start.metrics() == null) {
            return;
        }
        if (start.duration() != null && start.startAt().plus(start.duration()).isBefore(now)) {
            return; // over already (a command read again from the earliest offset)
        }
        Instant at = (start.startAt().isAfter(now) ? start.startAt() : now).plus(HISTORY_DELAY);
        try {
            scheduler.schedule(() -> {
                try {
                    sendHistories(start, Instant.now());
                } catch (RuntimeException e) {
                    System.err.println("traffic simulator: history of " + start.releaseId() + ": " + e);
                }
            }, Duration.between(now, at).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void readCommands() {
        try {
            commands.subscribe(List.of(Topics.ANALYSIS_COMMANDS));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : commands.poll(POLL_TIMEOUT)) {
                        read(record.value());
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // e.g. the broker briefly gone: the next poll tries again
                    System.err.println("traffic simulator: reading analysis commands: " + e);
                    Thread.sleep(POLL_TIMEOUT.toMillis());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            commands.close();
        }
    }

    /** One record of {@value Topics#ANALYSIS_COMMANDS}. */
    void read(byte[] value) {
        AnalysisCommand command;
        try {
            command = COMMANDS.decode(value).data();
        } catch (RuntimeException e) {
            return; // not the simulator's to judge: the analyzer dead-letters it
        }
        if (command instanceof AnalysisCommand.Start start) {
            onStart(start, Instant.now());
        }
    }

    private static void add(List<MetricSampleBatch.Entry> entries, Variant variant, Tally tally) {
        entries.add(new MetricSampleBatch.Entry(variant, "requests", tally.requests()));
        entries.add(new MetricSampleBatch.Entry(variant, "errors", tally.errors()));
        if (tally.observations() > 0) {
            entries.add(new MetricSampleBatch.Entry(variant, "latency", tally.observations(), null,
                    tally.cumulativeBuckets()));
        }
    }

    @Override
    public void close() {
        running = false;
        if (commandReader != null) {
            if (commandReader.getState() == Thread.State.NEW) {
                commands.close(); // never started
            } else {
                commands.wakeup();
                try {
                    commandReader.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
    }
}
