package io.serin.sandbox.traffic;

import io.serin.events.EventCodec;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Samples per release and variant on the topic, and every app's totals in the Prometheus format. */
class TrafficSimulatorTest {

    private static final TrafficFixture FIXTURE = new TrafficFixture();
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    /** No start commands followed: no histories sent. */
    static final org.apache.kafka.clients.consumer.Consumer<String, byte[]> NO_COMMANDS = null;

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    @Test
    void publishesEachVariantsCountsForItsReleaseAndServesTotalsForEveryApp() throws Exception {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "pay", 3);
        FIXTURE.variant(ns, "pay", "canary", "v2-errors", 1);
        FIXTURE.app(ns, "quiet", 1);
        FIXTURE.awaitReady(ns);
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());

        try (TrafficSimulator simulator = new TrafficSimulator(FIXTURE.client(), producer, NO_COMMANDS, 1000,
                Duration.ofMillis(250), ClientPopulation.DEFAULT, 0, Duration.ZERO)) {
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            simulator.tickOnce(now);
            simulator.tickOnce(now.plusMillis(250));

            List<MetricSampleBatch> batches = producer.history().stream()
                    .filter(r -> r.topic().equals(Topics.METRIC_SAMPLES))
                    .map(ProducerRecord::value).map(v -> (MetricSampleBatch) SAMPLES.decode(v).data()).toList();
            assertThat(batches).as("one batch per release and tick").hasSize(2);
            List<MetricSample> samples = batches.stream().flatMap(b -> IntStream.range(0, b.samples().size())
                    .mapToObj(b::sample)).toList();
            assertThat(samples).extracting(MetricSample::time).containsOnly(now, now.plusMillis(250));
            assertThat(samples).allSatisfy(s -> assertThat(s.releaseId()).isEqualTo(TrafficFixture.RELEASE));
            assertThat(samples).filteredOn(s -> s.metric().equals("requests"))
                    .extracting(MetricSample::variant, MetricSample::value)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Variant.STABLE, 187.0),
                            org.assertj.core.groups.Tuple.tuple(Variant.CANARY, 62.0),
                            org.assertj.core.groups.Tuple.tuple(Variant.STABLE, 188.0),
                            org.assertj.core.groups.Tuple.tuple(Variant.CANARY, 63.0));
            assertThat(samples).filteredOn(s -> s.metric().equals("latency")).hasSize(4).allSatisfy(s -> {
                assertThat(s.buckets()).hasSize(LatencyModel.BOUNDS.length);
                assertThat(s.buckets().get(s.buckets().size() - 1).count()).isLessThanOrEqualTo(s.value());
                assertThat(s.value()).isGreaterThan(50);
            });
            assertThat(producer.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo(TrafficFixture.RELEASE));

            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.metricsUrl()))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains(
                    "http_requests_total{namespace=\"" + ns + "\",workload=\"pay\",variant=\"canary\"} 125\n",
                    "http_requests_total{namespace=\"" + ns + "\",workload=\"pay\",variant=\"stable\"} 375\n",
                    "http_requests_total{namespace=\"" + ns + "\",workload=\"quiet\",variant=\"stable\"} 500\n",
                    "http_request_errors_total{namespace=\"" + ns + "\",workload=\"pay\",variant=\"canary\"} 6\n",
                    "http_request_duration_seconds_bucket{namespace=\"" + ns
                            + "\",workload=\"pay\",variant=\"stable\",le=\"0.4\"} ",
                    "# TYPE http_request_duration_seconds histogram\n");
        }
    }
}
