package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.Direction;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");


    private final MutableClock clock = new MutableClock(T0);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> commands;
    private TestInputTopic<String, byte[]> samples;
    private TestOutputTopic<String, byte[]> verdicts;

    @BeforeEach
    void start() {
        var topology = new AnalyzerTopology(new Analyses(Duration.ofSeconds(1)), clock, Duration.ofMillis(100), SOURCE)
                .build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, T0);
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        commands = driver.createInputTopic(Topics.ANALYSIS_COMMANDS, s.serializer(), b.serializer());
        samples = driver.createInputTopic(Topics.METRIC_SAMPLES, s.serializer(), b.serializer());
        verdicts = driver.createOutputTopic(Topics.ANALYSIS_VERDICTS, s.deserializer(), b.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void advance(Duration d) {
        clock.advance(d);
        driver.advanceWallClockTime(d);
    }

    private void startAnalysis(String releaseId) {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 100L);
        commands.pipeInput(releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, releaseId, T0,
                new AnalysisCommand.Start(releaseId + "/step-1", releaseId, T0, Duration.ofSeconds(10),
                        List.of(errorRate)))));
    }

    private void sample(String releaseId, String metric, double value, Instant time) {
        sample(releaseId, Variant.CANARY, metric, value, time);
    }

    private void sample(String releaseId, Variant variant, String metric, double value, Instant time) {
        samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId, time,
                new MetricSample(releaseId, variant, metric, value, time))), time);
    }

    private void startAnalysis(String releaseId, Duration window, MetricCheck check) {
        commands.pipeInput(releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, releaseId, T0,
                new AnalysisCommand.Start(releaseId + "/step-1", releaseId, T0, window, List.of(check)))));
    }

    /** RocksDB's entry count is an estimate that deletes leave behind: count what the store holds. */
    static long entries(TopologyTestDriver driver, String store) {
        try (var all = driver.getKeyValueStore(store).all()) {
            long n = 0;
            for (; all.hasNext(); all.next()) {
                n++;
            }
            return n;
        }
    }

    private List<AnalysisVerdict> verdicts() {
        return verdicts.readValuesToList().stream()
                .map(v -> (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(v).data()).toList();
    }

    @Test
    void publishesASequentialFailureAsSoonAsTheTestDecidesAndDropsTheState() {
        startAnalysis("bad", Duration.ofMinutes(10), new MetricCheck("error-rate", null,
                new Measure.Ratio("errors", "requests"), new Judge.Sequential(null, null, null), null,
                Variant.BASELINE));
        int t = 1;
        for (; t <= 60 && verdicts.isEmpty(); t++) {
            Instant at = T0.plusSeconds(t);
            sample("bad", Variant.BASELINE, "requests", 50, at);
            sample("bad", Variant.BASELINE, "errors", t % 2, at);
            sample("bad", Variant.CANARY, "requests", 50, at);
            sample("bad", Variant.CANARY, "errors", 5, at);
        }
        assertThat(t).as("decided on the sample that tipped it, long before the window's end").isLessThan(15);
        AnalysisVerdict verdict = verdicts().get(0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.metrics().get(0).compareTo()).isEqualTo(Variant.BASELINE);
        assertThat(entries(driver, AnalyzerTopology.STORE)).isZero();
        assertThat(entries(driver, AnalyzerTopology.PROGRESS_STORE)).isZero();
        sample("bad", Variant.CANARY, "errors", 5, T0.plusSeconds(t));
        advance(Duration.ofMinutes(11));
        assertThat(verdicts.isEmpty()).as("no second verdict").isTrue();
    }

    @Test
    void judgesAComparisonAndAMannWhitneyCheckWhenTheWindowEnds() {
        startAnalysis("cmp", Duration.ofSeconds(10), new MetricCheck("cpu", null, new Measure.Mean("cpu"),
                new Judge.Comparison(Direction.INCREASE, 0.5, false), 5L));
        startAnalysis("mw", Duration.ofSeconds(10), new MetricCheck("error-rate", null,
                new Measure.Ratio("errors", "requests"), new Judge.MannWhitney(Direction.INCREASE, 0.98), null));
        for (int t = 1; t <= 10; t++) {
            Instant at = T0.plusSeconds(t);
            sample("cmp", Variant.CANARY, "cpu", 0.6, at);
            sample("cmp", Variant.STABLE, "cpu", 0.5, at);
            sample("mw", Variant.CANARY, "requests", 50, at);
            sample("mw", Variant.CANARY, "errors", 10 + t % 2, at);
            sample("mw", Variant.STABLE, "requests", 50, at);
            sample("mw", Variant.STABLE, "errors", t % 2, at);
        }
        assertThat(verdicts.isEmpty()).isTrue();
        advance(Duration.ofSeconds(11));
        assertThat(verdicts()).extracting(AnalysisVerdict::releaseId, AnalysisVerdict::verdict)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cmp", Verdict.SUCCESSFUL),
                        org.assertj.core.groups.Tuple.tuple("mw", Verdict.FAILED));
    }

    @Test
    void emitsOneVerdictPerReleaseOnceTheWindowHasPassed() {
        startAnalysis("good");
        startAnalysis("bad");
        for (int i = 0; i < 10; i++) {
            sample("good", "requests", 50, T0.plusSeconds(i));
            sample("good", "errors", 1, T0.plusSeconds(i));
            sample("bad", "requests", 50, T0.plusSeconds(i));
            sample("bad", "errors", 10, T0.plusSeconds(i));
        }
        advance(Duration.ofSeconds(10));
        assertThat(verdicts.isEmpty()).as("no verdict before the grace period ends").isTrue();

        advance(Duration.ofSeconds(1));
        List<AnalysisVerdict> decided = verdicts.readValuesToList().stream()
                .map(v -> (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(v).data()).toList();
        assertThat(decided).extracting(AnalysisVerdict::releaseId, AnalysisVerdict::verdict)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("good", Verdict.SUCCESSFUL),
                        org.assertj.core.groups.Tuple.tuple("bad", Verdict.FAILED));
        assertThat(entries(driver, AnalyzerTopology.STORE)).isZero();
        assertThat(entries(driver, AnalyzerTopology.PROGRESS_STORE)).isZero();

        advance(Duration.ofSeconds(5));
        assertThat(verdicts.isEmpty()).as("state dropped: no second verdict").isTrue();
    }

    @Test
    void saysInconclusiveWhenNoSampleArrives() {
        startAnalysis("silent");
        advance(Duration.ofSeconds(12));
        AnalysisVerdict v = (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(verdicts.readValue()).data();
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).contains("0 observations");
    }

    @Test
    void deadLettersUnreadableSamplesAndKeepsCounting() {
        startAnalysis("r1");
        samples.pipeInput("r1", "garbage".getBytes(StandardCharsets.UTF_8));
        sample("r1", "requests", 200, T0.plusSeconds(1));
        var dlq = driver.createOutputTopic(Topics.deadLetter(Topics.METRIC_SAMPLES), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        var dead = dlq.readRecord();
        assertThat(new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("not JSON");
        advance(Duration.ofSeconds(12));
        AnalysisVerdict v = (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(verdicts.readValue()).data();
        assertThat(v.metrics().get(0).denominator()).isEqualTo(200);
    }

    @Test
    void deadLettersSamplesThatNameNoSeriesInsteadOfIgnoringThem() {
        startAnalysis("r1");
        samples.pipeInput("r1", EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, "r1", T0,
                new MetricSample("r1", null, "requests", 5, T0.plusSeconds(1)))));
        samples.pipeInput("r1", EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, "r1", T0,
                new MetricSample(null, Variant.CANARY, "requests", 5, T0.plusSeconds(1)))));
        var dlq = driver.createOutputTopic(Topics.deadLetter(Topics.METRIC_SAMPLES), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        assertThat(dlq.readRecordsToList()).extracting(r -> new String(r.headers().lastHeader(
                Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .containsExactly("metric sample without variant", "metric sample without releaseId");
    }

    @Test
    void decidesACheckWithoutMetricNamesErrorAndKeepsRunning() {
        AnalysisCommand.Start start = new AnalysisCommand.Start("r2/a1", "r2", T0, Duration.ofSeconds(10), List.of(
                new MetricCheck("no-numerator", null, new Measure.Ratio(null, "requests"),
                        new Judge.Sequential(null, null, null), null),
                new MetricCheck("no-metric", null, new Measure.Latency(null, 0.99),
                        new Judge.Sequential(null, null, null), null)));
        commands.pipeInput("r2", EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, "r2", T0, start)));
        AnalysisVerdict v = (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(verdicts.readValue()).data();
        assertThat(v.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(v.metrics()).extracting(e -> e.reason()).containsExactly(
                "no-numerator: the measure needs its metric names", "no-metric: the measure needs its metric names");

        startAnalysis("r1"); // the processor is still there
        sample("r1", "requests", 200, T0.plusSeconds(1));
        advance(Duration.ofSeconds(12));
        assertThat(verdicts.isEmpty()).isFalse();
    }

    private void batch(String releaseId, Instant time, MetricSampleBatch.Entry... entries) {
        samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId, time,
                new MetricSampleBatch(releaseId, time, List.of(entries)))), time);
    }

    @Test
    void decidesOnBatchesExactlyAsOnTheirSamplesOneByOne() {
        MetricCheck check = new MetricCheck("error-rate", null, new Measure.Ratio("errors", "requests"),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        startAnalysis("single", Duration.ofMinutes(10), check);
        startAnalysis("batched", Duration.ofMinutes(10), check);
        int singleAt = 0;
        int batchedAt = 0;
        for (int t = 1; t <= 60 && (singleAt == 0 || batchedAt == 0); t++) {
            Instant at = T0.plusSeconds(t);
            sample("single", Variant.BASELINE, "requests", 50, at);
            sample("single", Variant.BASELINE, "errors", t % 2, at);
            sample("single", Variant.CANARY, "requests", 50, at);
            sample("single", Variant.CANARY, "errors", 4, at);
            singleAt = singleAt == 0 && !verdicts.isEmpty() ? t : singleAt;
            // Another order, and one entry with its own time: a batch is a set.
            batch("batched", at, new MetricSampleBatch.Entry(Variant.CANARY, "errors", 4),
                    new MetricSampleBatch.Entry(Variant.BASELINE, "requests", 50, at, null),
                    new MetricSampleBatch.Entry(Variant.CANARY, "requests", 50),
                    new MetricSampleBatch.Entry(Variant.BASELINE, "errors", t % 2));
            batchedAt = batchedAt == 0 && verdicts.getQueueSize() > (singleAt == 0 ? 0 : 1) ? t : batchedAt;
        }
        assertThat(batchedAt).isPositive().isEqualTo(singleAt);
        List<AnalysisVerdict> decided = verdicts();
        assertThat(decided).extracting(AnalysisVerdict::releaseId).containsExactly("single", "batched");
        assertThat(decided.get(1).verdict()).isEqualTo(Verdict.FAILED).isEqualTo(decided.get(0).verdict());
        assertThat(decided.get(1).metrics()).isEqualTo(decided.get(0).metrics());
        assertThat(entries(driver, AnalyzerTopology.PROGRESS_STORE)).isZero();
    }

    @Test
    void deadLettersABatchWithAnUnreadableEntryWholeAndAppliesNoneOfIt() {
        startAnalysis("r1");
        Instant at = T0.plusSeconds(1);
        batch("r1", at, new MetricSampleBatch.Entry(Variant.CANARY, "requests", 200),
                new MetricSampleBatch.Entry(Variant.CANARY, " ", 5));
        batch("r1", at);
        samples.pipeInput("r1", EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, "r1", at,
                new MetricSampleBatch("r1", null, List.of(new MetricSampleBatch.Entry(Variant.CANARY, "requests", 1))))));
        samples.pipeInput("r1", ("{\"specversion\":\"1.0\",\"id\":\"b1\",\"source\":\"urn:test\","
                + "\"type\":\"io.serin.metrics.sample-batch.v1\",\"data\":{\"releaseId\":\"r1\","
                + "\"time\":\"2026-11-22T10:00:01Z\",\"samples\":[{\"variant\":\"canary\",\"metric\":\"requests\","
                + "\"value\":200},null]}}").getBytes(StandardCharsets.UTF_8));
        var dlq = driver.createOutputTopic(Topics.deadLetter(Topics.METRIC_SAMPLES), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        assertThat(dlq.readRecordsToList()).extracting(r -> new String(r.headers().lastHeader(
                Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8)).containsExactly(
                "metric sample batch entry 1 without metric", "metric sample batch without samples",
                "metric sample batch without time", "metric sample batch entry 1 is null");
        advance(Duration.ofSeconds(12));
        AnalysisVerdict v = verdicts().get(0);
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.metrics().get(0).denominator()).isZero();
    }
}
