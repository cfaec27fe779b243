package io.serin.analyzer.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.testsupport.KafkaTestResource;

import static io.serin.testsupport.TopicRecords.awaitRecords;
import static io.serin.testsupport.TopicRecords.header;
import static io.serin.testsupport.TopicRecords.send;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The analyzer as deployed: Quarkus, Kafka Streams with exactly_once_v2, a real broker, the wall clock. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class AnalyzerIT {

    private static final URI SOURCE = URI.create("urn:test:analyzer-it");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Generous: a command processed after its window (plus grace) has passed is judged without samples. */
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);

    @Test
    void failsACanaryWhoseErrorRateExceedsTheThresholdWithTheEvidence() {
        awaitStreamsRunning(); // the window runs on the wall clock from now on
        String releaseId = uniqueReleaseId();
        Instant startAt = Instant.now();
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 100L);
        send(Topics.ANALYSIS_COMMANDS, releaseId, COMMANDS.encode(CloudEvent.of(SOURCE, releaseId, startAt,
                new AnalysisCommand.Start(releaseId + "/step-1", releaseId, startAt, WINDOW, List.of(errorRate)))));
        sample(releaseId, "requests", 10_000, startAt.minusSeconds(60)); // before the window: must not count
        for (int i = 0; i < 10; i++) {
            Instant time = startAt.plusMillis(100L * i);
            sample(releaseId, "requests", 50, time);
            sample(releaseId, "errors", 10, time);
        }

        ConsumerRecord<String, byte[]> record = awaitRecords(Topics.ANALYSIS_VERDICTS, releaseId, 1).get(0);
        CloudEvent<VerdictMessage> event = VERDICTS.decode(record.value());
        assertThat(event.id()).isEqualTo(releaseId + "/step-1");
        AnalysisVerdict verdict = (AnalysisVerdict) event.data();
        assertThat(verdict.analysisId()).isEqualTo(releaseId + "/step-1");
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.decidedAt()).isAfterOrEqualTo(startAt.plus(WINDOW));
        assertThat(verdict.reason()).isEqualTo("error-rate 0.2000 > max 0.0500 (100 / 500 over 10 samples)");
        assertThat(verdict.metrics()).singleElement().satisfies(evidence -> {
            assertThat(evidence.name()).isEqualTo("error-rate");
            assertThat(evidence.variant()).isEqualTo(Variant.CANARY);
            assertThat(evidence.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(evidence.value()).isEqualTo(0.2);
            assertThat(evidence.max()).isEqualTo(0.05);
            assertThat(evidence.numerator()).isEqualTo(100.0);
            assertThat(evidence.denominator()).isEqualTo(500.0);
            assertThat(evidence.samples()).isEqualTo(10);
        });
    }

    @Test
    void deadLettersASampleThatIsNotJsonWithItsReason() {
        String releaseId = uniqueReleaseId();
        long offset = send(Topics.METRIC_SAMPLES, releaseId, "garbage".getBytes(StandardCharsets.UTF_8));

        ConsumerRecord<String, byte[]> deadLetter =
                awaitRecords(Topics.deadLetter(Topics.METRIC_SAMPLES), releaseId, 1).get(0);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).startsWith("not JSON");
        assertThat(header(deadLetter, Topics.DLQ_ORIGIN_HEADER)).startsWith(Topics.METRIC_SAMPLES + "/")
                .endsWith("/" + offset);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
    }

    @Test
    void isReadyAndExposesPrometheusMetrics() {
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Kafka Streams topics health check")));
        awaitStreamsRunning();
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("kafka_stream_thread_process_ratio{"));
    }

    private static void awaitStreamsRunning() {
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Kafka Streams state health check")));
    }

    private static String uniqueReleaseId() {
        return "rel-" + UUID.randomUUID();
    }

    private static void sample(String releaseId, String metric, double value, Instant time) {
        send(Topics.METRIC_SAMPLES, releaseId, SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, time,
                new MetricSample(releaseId, Variant.CANARY, metric, value, time))));
    }

}
