package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Histories;
import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.stats.Sampling;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.Direction;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.MetricHistory;
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
import java.util.ArrayList;
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

    /** The compared variant's history, as the Prometheus source sends it once the analysis started. */
    private void history(MetricHistory history) {
        samples.pipeInput(history.releaseId(), EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE,
                history.releaseId(), T0, history)), T0);
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
        history(Histories.cleanHour("bad", Variant.BASELINE, T0));
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

    /** Istio's default request-duration buckets, in seconds. */
    private static final double[] ISTIO = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60, 300, 600, 1800, 3600};

    /** One second of request durations as Istio's histogram publishes them: cumulative counts per bound. */
    private void istioSecond(String releaseId, Variant variant, Instant time, Sampling draw, double factor) {
        int n = draw.poisson(50);
        long[] per = new long[ISTIO.length];
        for (int i = 0; i < n; i++) {
            double latency = factor * draw.logNormal(0.1, 0.5); // p99 320 ms
            for (int b = 0; b < ISTIO.length; b++) {
                if (latency <= ISTIO[b]) {
                    per[b]++;
                    break;
                }
            }
        }
        List<HistogramBucket> buckets = new ArrayList<>();
        long below = 0;
        for (int b = 0; b < ISTIO.length; b++) {
            below += per[b];
            buckets.add(new HistogramBucket(ISTIO[b], below));
        }
        samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId, time,
                new MetricSample(releaseId, variant, "latency", n, time, buckets))), time);
    }

    /** Runs a p99 check on Istio histograms until the topology publishes a verdict; the seconds it took. */
    private int istioUntilVerdict(String releaseId, double canaryFactor) {
        startAnalysis(releaseId, Duration.ofMinutes(10), new MetricCheck("latency-p99", null,
                new Measure.Latency("latency", 0.99), new Judge.Sequential(null, null, null), null, Variant.BASELINE));
        Sampling draw = new Sampling(42);
        history(Histories.istioHour(draw, releaseId, Variant.BASELINE, T0));
        int t = 1;
        for (; t <= 600 && verdicts.isEmpty(); t++) {
            Instant at = T0.plusSeconds(t);
            istioSecond(releaseId, Variant.BASELINE, at, draw, 1);
            istioSecond(releaseId, Variant.CANARY, at, draw, canaryFactor);
        }
        return t - 1;
    }

    @Test
    void passesAHealthyCanaryOnIstioHistogramsTestingTheBoundBelowTheP99() {
        int seconds = istioUntilVerdict("istio-ok", 1);

        assertThat(seconds).as("decided early, well within the 10-minute window").isLessThan(300);
        AnalysisVerdict verdict = verdicts().get(0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(verdict.reason()).startsWith("latency-p99: requests slower than 0.25 s (baseline's p99 lies in "
                + "(0.25, 0.5] s): canary ").contains("below 2.00x baseline");
        assertThat(verdict.metrics().get(0).compareValue()).as("~3.3% of baseline above 250 ms").isBetween(0.02, 0.05);
    }

    @Test
    void failsACanaryAQuarterSlowerOnIstioHistogramsNamingTheBoundTested() {
        int seconds = istioUntilVerdict("istio-slow", 1.25);

        assertThat(seconds).isLessThan(120);
        AnalysisVerdict verdict = verdicts().get(0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.reason()).startsWith("latency-p99: requests slower than 0.25 s (baseline's p99 lies in "
                + "(0.25, 0.5] s): canary ").contains("worse (e-value");
        assertThat(verdict.metrics().get(0).value()).as("~8.3% of canary above 250 ms").isBetween(0.06, 0.11);
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
    void deadLettersAHistoryItCannotUseWithTheReasonAndKeepsTheAnalysis() {
        startAnalysis("r1", Duration.ofMinutes(10), new MetricCheck("error-rate", null,
                new Measure.Ratio("errors", "requests"), new Judge.Sequential(null, null, null), null));
        history(new MetricHistory("r1", Variant.STABLE, T0.minusSeconds(10), Duration.ofSeconds(5),
                List.of(new MetricHistory.Series("errors", List.of(1.0, -2.0)),
                        new MetricHistory.Series("requests", List.of(100.0, 100.0)))));
        history(new MetricHistory("r1", Variant.STABLE, T0.minusSeconds(10), Duration.ofMinutes(5),
                List.of(new MetricHistory.Series("errors", List.of(1.0)))));
        history(new MetricHistory("r1", Variant.STABLE, T0.minusSeconds(10), Duration.ofSeconds(5),
                List.of(new MetricHistory.Series("errors", List.of(1.0)),
                        new MetricHistory.Series("requests", List.of(100.0, 100.0)))));
        var dlq = driver.createOutputTopic(Topics.deadLetter(Topics.METRIC_SAMPLES), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        assertThat(dlq.readRecordsToList()).extracting(r -> new String(r.headers().lastHeader(
                Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8)).containsExactly(
                "metric history series errors holds -2.0: values are increases, finite and not negative",
                "metric history step must lie between PT1S and PT1M (was PT5M)",
                "metric history series differ in length (requests: 2, others 1)");
        assertThat(entries(driver, AnalyzerTopology.STORE)).isOne();
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
        history(Histories.cleanHour("single", Variant.BASELINE, T0));
        history(Histories.cleanHour("batched", Variant.BASELINE, T0));
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
