package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every tick: reads the cluster, routes each app's clients as its live routing objects say
 * ({@link TrafficModel}), lets each variant answer as its image behaves ({@link Behaviour}), and
 * publishes, per release in flight, each variant's {@code requests}, {@code errors} and
 * {@code latency} histogram of that tick in one batch of metric samples; every app's running totals are served in the
 * Prometheus format ({@link #metricsUrl()}).
 */
public final class TrafficSimulator implements AutoCloseable {

    private static final URI SOURCE = URI.create("urn:serin:sandbox:traffic");
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);

    private final KubernetesClient kube;
    private final Producer<String, byte[]> producer;
    private final TrafficModel model;
    private final Duration tick;
    private final Map<String, Meter> meters = new HashMap<>();
    private final PrometheusMetrics prometheus = new PrometheusMetrics();
    private final MetricsEndpoint endpoint;
    private volatile List<AppTraffic> last = List.of();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic-simulator");
        t.setDaemon(true);
        return t;
    });

    /** {@code requestsPerSecond} is each app's client rate; {@code metricsPort} 0 takes a free port. */
    public TrafficSimulator(KubernetesClient kube, Producer<String, byte[]> producer, double requestsPerSecond,
            Duration tick, ClientPopulation clients, int metricsPort) {
        this.kube = kube;
        this.producer = producer;
        this.model = new TrafficModel(clients, requestsPerSecond);
        this.tick = tick;
        this.endpoint = MetricsEndpoint.start(prometheus, metricsPort);
    }

    public TrafficSimulator start() {
        scheduler.scheduleAtFixedRate(this::safeTick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
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
                for (String releaseId : variants.releases()) {
                    add(batches.computeIfAbsent(releaseId, id -> new ArrayList<>()), v.getKey(), tally);
                }
            }
        }
        // One batch per release and tick, as a mesh adapter publishes: every variant and metric at once.
        batches.forEach((releaseId, entries) -> producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, releaseId,
                SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, now, new MetricSampleBatch(releaseId, now,
                        List.copyOf(entries)))))));
        last = List.copyOf(apps);
        producer.flush();
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
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
    }
}
