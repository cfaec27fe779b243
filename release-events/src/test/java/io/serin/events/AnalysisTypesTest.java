package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The analysis types added after v1 was published: optional, round-tripping, valid against the v1 schemas. */
class AnalysisTypesTest {

    private static final String RELEASE = "rel-20261122-payment-gateway-v2";
    private static final Instant AT = Instant.parse("2026-11-22T10:16:02Z");

    @Test
    void aStartWithEveryJudgeAndMeasureRoundTripsAndValidates() {
        List<MetricCheck> checks = List.of(
                new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                        new Judge.Sequential(0.01, 0.01, 1.0), 100L, Variant.BASELINE),
                new MetricCheck("latency-p99", Variant.CANARY, new Measure.Latency("latency", 0.99),
                        new Judge.Sequential(null, null, null), null, null),
                new MetricCheck("cpu", Variant.CANARY, new Measure.Mean("cpu"),
                        new Judge.Comparison(Direction.INCREASE, 0.2, true), 10L, Variant.STABLE),
                new MetricCheck("error-rate-mw", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                        new Judge.MannWhitney(Direction.EITHER, 0.98), null, Variant.BASELINE));
        CloudEvent<AnalysisCommand> sent = CloudEvent.of(URI.create("/serin/planner"), RELEASE, AT,
                new AnalysisCommand.Start(RELEASE + ":step-1:analysis", RELEASE, AT, Duration.ofMinutes(5), checks));
        EventCodec<AnalysisCommand> codec = EventCodec.of(AnalysisCommand.class);

        byte[] bytes = codec.encode(sent);

        assertThat(codec.decode(bytes)).isEqualTo(sent);
        JsonNode tree = EventCodec.toTree(sent);
        assertThat(tree.at("/data/metrics/0/judge/type").asText()).isEqualTo("sequential");
        assertThat(tree.at("/data/metrics/1/judge").has("alpha")).as("absent defaults are omitted").isFalse();
        assertThat(tree.at("/data/metrics/2/judge/direction").asText()).isEqualTo("increase");
        assertThat(tree.at("/data/metrics/3/judge/type").asText()).isEqualTo("mannWhitney");
        assertThat(ExamplesTest.validate("io.serin.analysis.start.v1", tree)).isEmpty();
    }

    @Test
    void aHistogramSampleAndARichVerdictRoundTripAndValidate() {
        CloudEvent<SampleMessage> sample = CloudEvent.of(URI.create("/mesh"), RELEASE, AT, new MetricSample(RELEASE,
                Variant.BASELINE, "latency", 412, AT, List.of(new HistogramBucket(0.1, 200),
                        new HistogramBucket(0.32, 408))));
        assertThat(EventCodec.of(SampleMessage.class).decode(EventCodec.of(SampleMessage.class).encode(sample)))
                .isEqualTo(sample);
        assertThat(ExamplesTest.validate("io.serin.metrics.sample.v1", EventCodec.toTree(sample))).isEmpty();

        MetricEvidence evidence = new MetricEvidence("error-rate", Variant.CANARY, Verdict.FAILED, 0.021, null, null,
                63.0, 3000.0, 60, "error-rate: canary 2.1% vs baseline 1.0%", Variant.BASELINE, 0.010, 30.0,
                3000.0, 104.2, 0.0096, 1.0);
        CloudEvent<VerdictMessage> verdict = CloudEvent.of(URI.create("/serin/analyzer"), RELEASE, AT,
                new AnalysisVerdict(RELEASE + ":step-1:analysis", RELEASE, Verdict.FAILED, evidence.reason(), AT,
                        List.of(evidence)));
        EventCodec<VerdictMessage> codec = EventCodec.of(VerdictMessage.class);
        assertThat(codec.decode(codec.encode(verdict))).isEqualTo(verdict);
        assertThat(ExamplesTest.validate("io.serin.analysis.verdict.v1", EventCodec.toTree(verdict))).isEmpty();
    }

    @Test
    void aV1SampleStillDecodesWithoutBuckets() {
        MetricSample v1 = (MetricSample) EventCodec.of(SampleMessage.class)
                .decode(Docs.bytes(Docs.example("io.serin.metrics.sample.v1"))).data();
        assertThat(v1.buckets()).isNull();
        assertThat(v1.value()).isEqualTo(412.0);
    }
}
