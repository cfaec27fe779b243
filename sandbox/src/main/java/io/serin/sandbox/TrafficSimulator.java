package io.serin.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Requests as a plain Service would spread them: a fixed rate shared by ready pods, so the canary
 * gets its pod share. Each pod answers as its image behaves — a tag containing {@code errors}
 * fails 5% of requests, any other 1% — and every tick publishes, per release and variant, the
 * request and error counts of that tick as metric samples. Error counts are exact fractions
 * carried from tick to tick, so runs are repeatable.
 */
final class TrafficSimulator implements AutoCloseable {

    static final double HEALTHY_ERROR_RATE = 0.01;
    static final double FAULTY_ERROR_RATE = 0.05;
    private static final URI SOURCE = URI.create("urn:serin:sandbox:traffic");
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);

    private final KubernetesClient kube;
    private final Producer<String, byte[]> producer;
    private final double requestsPerSecond;
    private final Duration tick;
    private final Map<String, double[]> carry = new HashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic-simulator");
        t.setDaemon(true);
        return t;
    });

    TrafficSimulator(KubernetesClient kube, Producer<String, byte[]> producer, double requestsPerSecond,
            Duration tick) {
        this.kube = kube;
        this.producer = producer;
        this.requestsPerSecond = requestsPerSecond;
        this.tick = tick;
    }

    void start() {
        scheduler.scheduleAtFixedRate(this::safeTick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tickOnce(Instant.now());
        } catch (RuntimeException e) {
            System.err.println("traffic simulator: " + e);
        }
    }

    private void tickOnce(Instant now) {
        for (Deployment canary : kube.apps().deployments().inAnyNamespace()
                .withLabel("serin.io/variant", "canary").list().getItems()) {
            String releaseId = canary.getMetadata().getLabels().get("serin.io/release");
            String targetName = canary.getMetadata().getAnnotations().get("serin.io/target");
            Deployment stable = kube.apps().deployments().inNamespace(canary.getMetadata().getNamespace())
                    .withName(targetName).get();
            int c = ready(canary);
            int s = ready(stable);
            if (releaseId == null || c + s == 0) {
                continue;
            }
            double requests = requestsPerSecond * tick.toMillis() / 1000.0;
            publish(releaseId, Variant.CANARY, canary, requests * c / (c + s), now);
            publish(releaseId, Variant.STABLE, stable, requests * s / (c + s), now);
        }
        producer.flush();
    }

    private void publish(String releaseId, Variant variant, Deployment d, double requests, Instant now) {
        if (d == null || requests <= 0) {
            return;
        }
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        double rate = image.substring(image.lastIndexOf(':') + 1).contains("errors") ? FAULTY_ERROR_RATE
                : HEALTHY_ERROR_RATE;
        double[] acc = carry.computeIfAbsent(releaseId + "/" + variant, k -> new double[2]);
        acc[0] += requests;
        acc[1] += requests * rate;
        long wholeRequests = (long) acc[0];
        long wholeErrors = (long) acc[1];
        acc[0] -= wholeRequests;
        acc[1] -= wholeErrors;
        send(releaseId, new MetricSample(releaseId, variant, "requests", wholeRequests, now));
        send(releaseId, new MetricSample(releaseId, variant, "errors", wholeErrors, now));
    }

    private void send(String releaseId, MetricSample sample) {
        producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, releaseId,
                SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, sample.time(), sample))));
    }

    private static int ready(Deployment d) {
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
