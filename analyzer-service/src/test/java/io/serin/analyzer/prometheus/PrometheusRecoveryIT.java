package io.serin.analyzer.prometheus;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.WorkloadRef;
import io.serin.testsupport.SharedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.serin.testsupport.TopicRecords.awaitRecords;
import static io.serin.testsupport.TopicRecords.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The source alone against a real broker and a real Prometheus: an instance that stops mid-analysis
 * is replaced by a fresh one in the same group, which finds the running analysis again by re-reading
 * the commands and polls it to its end, without repeating a window the first one published.
 */
class PrometheusRecoveryIT {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofSeconds(16);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);

    private static CounterExporter exporter;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() {
        exporter = new CounterExporter(List.of("recovery"));
        prometheus = PrometheusServer.start(exporter.target());
    }

    @AfterAll
    static void stopPrometheus() {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            exporter.close();
        }
    }

    private static PrometheusSource source(String groupId) {
        SourceSettings settings = new SourceSettings(prometheus.url(), INTERVAL, Duration.ofMillis(300),
                Duration.ofSeconds(5), Duration.ofSeconds(2), 2, Duration.ofHours(1), groupId,
                URI.create("urn:test:recovery"), Duration.ofMillis(100), Map.of("requests", QueryTemplate.parse(
                        "requests", "sum(increase(http_requests_total{namespace=\"{{namespace}}\","
                                + "workload=\"{{workload}}\",variant=\"{{variant}}\"}[{{window}}]))")),
                Duration.ZERO);
        PrometheusSource source = new PrometheusSource(settings, SharedKafka.bootstrapServers(),
                new SimpleMeterRegistry(), Clock.systemUTC());
        source.start();
        await().atMost(PATIENCE).until(source::ready);
        return source;
    }

    @Test
    void aReplacementInstanceRecoversTheRunningAnalysisAndRepeatsNoWindow() {
        String groupId = "prometheus-recovery-" + UUID.randomUUID();
        String releaseId = "rel-" + UUID.randomUUID();
        PrometheusSource first = source(groupId);
        Instant startAt = Instant.now();
        Instant endAt = startAt.plus(WINDOW);
        Instant stopped;
        try {
            MetricCheck traffic = new MetricCheck("traffic", Variant.CANARY, new Measure.Mean("requests"),
                    new Judge.Threshold(1.0, null), null);
            send(Topics.ANALYSIS_COMMANDS, releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(
                    URI.create("urn:test"), releaseId, startAt, new AnalysisCommand.Start(releaseId + "/step-1",
                            releaseId, startAt, WINDOW, List.of(traffic),
                            new WorkloadRef(WorkloadRef.DEPLOYMENT, CounterExporter.NAMESPACE, "recovery")))));
            awaitRecords(Topics.METRIC_SAMPLES, releaseId, 2);
        } finally {
            first.close();
            stopped = Instant.now();
        }
        assertThat(stopped).as("the first instance stopped mid-analysis").isBefore(endAt.minus(INTERVAL));

        PrometheusSource second = source(groupId);
        List<MetricSample> samples;
        try {
            samples = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> samples(releaseId),
                    s -> s.stream().anyMatch(m -> m.time().equals(endAt)));
        } finally {
            second.close();
        }

        List<Instant> times = samples.stream().map(MetricSample::time).toList();
        assertThat(times).as("no window published twice").doesNotHaveDuplicates();
        assertThat(times).allSatisfy(t -> assertThat(Duration.between(startAt, t).toMillis() % INTERVAL.toMillis())
                .as("on the grid").isZero());
        assertThat(times).filteredOn(t -> t.isAfter(stopped)).as("the second instance polled on").isNotEmpty();
        assertThat(samples).allSatisfy(s -> assertThat(s.value()).as(s.toString()).isCloseTo(
                CounterExporter.REQUESTS_PER_SECOND * INTERVAL.toSeconds(),
                within(CounterExporter.REQUESTS_PER_SECOND)));
    }

    private static List<MetricSample> samples(String releaseId) {
        return awaitRecords(Topics.METRIC_SAMPLES, releaseId, 1).stream()
                .map(r -> (MetricSample) SAMPLES.decode(r.value()).data()).toList();
    }
}
