package io.serin.analyzer.prometheus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.Direction;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.events.WorkloadRef;
import io.serin.testsupport.KafkaTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.serin.testsupport.TopicRecords.awaitRecords;
import static io.serin.testsupport.TopicRecords.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * End to end with a real Prometheus scraping {@link CounterExporter}: the analyzer learns of an
 * analysis from its command, queries Prometheus every 3 s, publishes the deltas as samples and
 * judges them, with no other publisher; broken and absent series become source problems. A
 * sequential check gets the history of the variant it compares with when its analysis starts.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PrometheusTestResource.class, restrictToAnnotatedClass = true)
class PrometheusSourceIT {

    private static final URI SOURCE = URI.create("urn:test:prometheus-source-it");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration INTERVAL =
            Duration.ofSeconds(Long.parseLong(PrometheusTestResource.INTERVAL_SECONDS));
    private static final Duration WINDOW = INTERVAL.multipliedBy(4);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);

    @BeforeEach
    void awaitSourceAndStreams() {
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).body("checks.name", hasItem(PrometheusSourceHealth.NAME)));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("Kafka Streams state health check")));
    }

    @Test
    void judgesAnAnalysisOnDeltasOnlyPrometheusProvided() {
        String releaseId = "rel-" + UUID.randomUUID();
        Instant startAt = Instant.now();
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Comparison(Direction.INCREASE, 1.0, false), 50L);
        start(releaseId, startAt, "web", errorRate);

        AnalysisVerdict verdict = verdict(releaseId);
        List<SampleMessage> published = published(releaseId, 16);

        assertThat(published).allSatisfy(m -> assertThat(m).isInstanceOf(MetricSample.class));
        List<MetricSample> samples = published.stream().map(MetricSample.class::cast).toList();
        for (Variant variant : List.of(Variant.CANARY, Variant.STABLE)) {
            List<MetricSample> requests = series(samples, variant, "requests");
            List<MetricSample> errors = series(samples, variant, "errors");
            assertThat(requests).extracting(MetricSample::time).as("one sample per window, stamped with its end")
                    .containsExactly(startAt.plus(INTERVAL), startAt.plus(INTERVAL.multipliedBy(2)),
                            startAt.plus(INTERVAL.multipliedBy(3)), startAt.plus(WINDOW));
            assertThat(errors).extracting(MetricSample::time).isEqualTo(requests.stream().map(MetricSample::time)
                    .toList());
            // what the exporter counted in each window, give or take one 1 s scrape
            requests.forEach(s -> assertThat(s.value()).as(s.toString()).isCloseTo(
                    CounterExporter.REQUESTS_PER_SECOND * INTERVAL.toSeconds(),
                    within(CounterExporter.REQUESTS_PER_SECOND)));
            errors.forEach(s -> assertThat(s.value()).as(s.toString()).isCloseTo(
                    CounterExporter.errorsPerSecond(variant) * INTERVAL.toSeconds(),
                    within(CounterExporter.errorsPerSecond(variant))));
        }
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        MetricEvidence evidence = verdict.metrics().get(0);
        assertThat(evidence.value()).isCloseTo(0.25, within(0.05));
        assertThat(evidence.compareValue()).isCloseTo(0.05, within(0.02));
        assertThat(evidence.samples()).as("the last window may come after the grace period").isBetween(3L, 4L);
        assertThat(evidence.denominator()).as("the verdict rests on exactly the published deltas").isCloseTo(
                series(samples, Variant.CANARY, "requests").stream().limit(evidence.samples())
                        .mapToDouble(MetricSample::value).sum(), within(1e-6));
    }

    @Test
    void reportsABrokenQueryAndAnAbsentSeriesToTheReleaseAndNeverAsZeros() {
        String releaseId = "rel-" + UUID.randomUUID();
        Instant startAt = Instant.now();
        MetricCheck broken = new MetricCheck("broken-rate", Variant.CANARY, new Measure.Ratio("broken", "requests"),
                new Judge.Threshold(null, 0.5), null);
        MetricCheck absent = new MetricCheck("absent", Variant.CANARY, new Measure.Mean("absent"),
                new Judge.Threshold(null, 1.0), null);
        MetricCheck stableTraffic = new MetricCheck("stable-traffic", Variant.STABLE, new Measure.Mean("requests"),
                new Judge.Threshold(1.0, null), null);
        start(releaseId, startAt, "flaky", broken, absent, stableTraffic);

        AnalysisVerdict verdict = verdict(releaseId);
        List<SampleMessage> published = published(releaseId, 12);

        List<SourceProblem> problems = published.stream().filter(SourceProblem.class::isInstance)
                .map(SourceProblem.class::cast).toList();
        assertThat(problems).hasSize(8).allSatisfy(p -> {
            assertThat(p.analysisId()).isEqualTo(releaseId + "/step-1");
            assertThat(p.variant()).isEqualTo(Variant.CANARY);
            assertThat(p.query()).contains("workload=\"flaky\"").contains("[3s]");
        });
        assertThat(problems).filteredOn(p -> p.metric().equals("broken")).hasSize(4).allSatisfy(p -> {
            assertThat(p.reason()).isEqualTo(SourceProblem.Reason.QUERY_ERROR);
            assertThat(p.detail()).startsWith("Prometheus answered HTTP 400 bad_data: ").contains("parse error");
        });
        assertThat(problems).filteredOn(p -> p.metric().equals("absent")).hasSize(4)
                .allSatisfy(p -> assertThat(p.reason()).isEqualTo(SourceProblem.Reason.NO_DATA));
        assertThat(published).filteredOn(MetricSample.class::isInstance).as("canary requests withheld with broken")
                .hasSize(4).allSatisfy(m -> {
                    assertThat(((MetricSample) m).variant()).isEqualTo(Variant.STABLE);
                    assertThat(((MetricSample) m).metric()).isEqualTo("requests");
                });

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.metrics()).extracting(MetricEvidence::verdict).containsExactly(Verdict.INCONCLUSIVE,
                Verdict.INCONCLUSIVE, Verdict.SUCCESSFUL);
        assertThat(verdict.reason()).contains("broken-rate: too little data")
                .contains("source problems: canary/broken ")
                .contains("QUERY_ERROR: Prometheus answered HTTP 400 bad_data").contains("canary/absent ")
                .contains("NO_DATA: no series matched");
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("serin_analyzer_prometheus_queries_total\\{[^}]*metric=\"broken\"[^}]*"
                + "outcome=\"query_error\"[^}]*} [1-9]")
                .containsPattern("serin_analyzer_prometheus_queries_total\\{[^}]*metric=\"absent\"[^}]*"
                        + "outcome=\"no_data\"[^}]*} [1-9]")
                .containsPattern("serin_analyzer_prometheus_withheld_total\\{[^}]*metric=\"requests\"[^}]*} [1-9]");
    }

    @Test
    void sendsTheComparedVariantsHistoryWhenASequentialRatioAnalysisStarts() {
        String releaseId = "rel-" + UUID.randomUUID();
        Instant startAt = Instant.now();
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Sequential(null, null, null), 50L);
        start(releaseId, startAt, "web", errorRate);

        List<CloudEvent<SampleMessage>> events = awaitRecords(Topics.METRIC_SAMPLES, releaseId, 17).stream()
                .map(r -> SAMPLES.decode(r.value())).toList();

        List<CloudEvent<SampleMessage>> histories = events.stream().filter(e -> e.data() instanceof MetricHistory)
                .toList();
        assertThat(histories).as("one history, of stable, beside the rounds' 16 samples").hasSize(1);
        assertThat(events).filteredOn(e -> e.data() instanceof MetricSample).hasSize(16);
        CloudEvent<SampleMessage> event = histories.get(0);
        assertThat(event.type()).isEqualTo("io.serin.metrics.history.v1");
        assertThat(event.id()).isEqualTo(releaseId + "/step-1/stable/history");
        MetricHistory history = (MetricHistory) event.data();
        assertThat(history.problem()).isNull();
        assertThat(history.variant()).isEqualTo(Variant.STABLE);
        assertThat(history.step()).isEqualTo(Duration.ofSeconds(5));
        assertThat(history.start()).isEqualTo(startAt.truncatedTo(ChronoUnit.MILLIS)
                .minus(Duration.parse(PrometheusTestResource.HISTORY)));
        assertThat(history.series()).extracting(MetricHistory.Series::metric).containsExactly("errors", "requests");
        for (MetricHistory.Series series : history.series()) {
            double perSecond = series.metric().equals("requests") ? CounterExporter.REQUESTS_PER_SECOND
                    : CounterExporter.errorsPerSecond(Variant.STABLE);
            assertThat(series.values()).as(series.metric()).hasSize(6);
            assertThat(series.values().subList(3, 6)).as("the last steps were scraped").doesNotContainNull();
            // what the exporter counted in each 5 s step, give or take one 1 s scrape
            series.values().stream().filter(v -> v != null).forEach(v -> assertThat(v).as(series.metric())
                    .isCloseTo(perSecond * 5, within(perSecond)));
        }
    }

    private static void start(String releaseId, Instant startAt, String workload, MetricCheck... checks) {
        send(Topics.ANALYSIS_COMMANDS, releaseId, COMMANDS.encode(CloudEvent.of(SOURCE, releaseId, startAt,
                new AnalysisCommand.Start(releaseId + "/step-1", releaseId, startAt, WINDOW, List.of(checks),
                        new WorkloadRef(WorkloadRef.DEPLOYMENT, CounterExporter.NAMESPACE, workload)))));
    }

    private static AnalysisVerdict verdict(String releaseId) {
        return (AnalysisVerdict) VERDICTS.decode(awaitRecords(Topics.ANALYSIS_VERDICTS, releaseId, 1).get(0).value())
                .data();
    }

    /** Everything published for the release; called after the verdict, when every round has run. */
    private static List<SampleMessage> published(String releaseId, int expected) {
        List<SampleMessage> all = awaitRecords(Topics.METRIC_SAMPLES, releaseId, expected).stream()
                .map(r -> SAMPLES.decode(r.value()).data()).toList();
        assertThat(all).hasSize(expected);
        return all;
    }

    private static List<MetricSample> series(List<MetricSample> samples, Variant variant, String metric) {
        return samples.stream().filter(s -> s.variant() == variant && s.metric().equals(metric))
                .sorted(Comparator.comparing(MetricSample::time)).toList();
    }
}
