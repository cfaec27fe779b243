package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.analyzer.analysis.LegacyAnalysisState;
import io.serin.analyzer.analysis.SeriesState;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.VerdictMessage;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An analysis running across the upgrade that split the state: legacy/analysis-state.json is what the
 * previous analyzer stored after 20 s of five checks (sequential ratio and latency, comparison,
 * Mann-Whitney, threshold), with a bucket still open; legacy/verdict.json what it decided after the
 * samples below. The current analyzer, continuing from the stored state, must decide the same.
 */
class LegacyStateTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** Second t of one variant's samples, as the previous analyzer got them; the canary is slower. */
    static List<MetricSample> second(int t, Variant v) {
        Instant at = T0.plusSeconds(t);
        boolean canary = v == Variant.CANARY;
        List<HistogramBucket> latency = canary
                ? List.of(new HistogramBucket(0.1, 45), new HistogramBucket(0.25, 88), new HistogramBucket(0.5, 98),
                        new HistogramBucket(1, 100))
                : List.of(new HistogramBucket(0.1, 50), new HistogramBucket(0.25, 90), new HistogramBucket(0.5, 99),
                        new HistogramBucket(1, 100));
        return List.of(new MetricSample("r1", v, "requests", 100, at),
                new MetricSample("r1", v, "errors", (t * 7 + (canary ? 1 : 0)) % 4 == 0 ? 2 : 1, at),
                new MetricSample("r1", v, "latency", 100, at, latency),
                new MetricSample("r1", v, "cpu", canary ? 0.5 + (t % 3) * 0.1 : 0.45 + (t % 2) * 0.1, at));
    }

    /** What came after the stored state: the rest of second 20, then whole seconds. */
    static List<List<MetricSample>> rest() {
        List<List<MetricSample>> seconds = new ArrayList<>();
        seconds.add(second(20, Variant.CANARY).stream().filter(s -> !s.metric().equals("requests")).toList());
        for (int t = 21; t <= 300; t++) {
            List<MetricSample> both = new ArrayList<>(second(t, Variant.BASELINE));
            both.addAll(second(t, Variant.CANARY));
            seconds.add(both);
        }
        return seconds;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = LegacyStateTest.class.getResourceAsStream("/legacy/" + name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The previous analyzer's verdict, in today's words: the latency check's reason names the bound it
     * tests (the stored threshold, 0.50003 s, the sketch's bound for the histogram's 0.5) and where
     * baseline's p99 lies, instead of calling that bound the p99; every figure is the same.
     */
    static AnalysisVerdict expectedVerdict() throws IOException {
        String stored = new String(resource("verdict.json"), StandardCharsets.UTF_8);
        String now = stored.replace("latency-p99: canary 2.00% (68 / 3400) vs baseline 1.00% (33 / 3300) above "
                + "baseline's p99 of 0.500 s: worse", "latency-p99: requests slower than 0.5 s (baseline's p99 lies "
                + "in (0.25, 0.5] s): canary 2.00% (68 / 3400) vs baseline 1.00% (33 / 3300): worse");
        assertThat(now).as("both the verdict's reason and the check's").isNotEqualTo(stored)
                .doesNotContain("above baseline's p99");
        return EventCodec.readValue(now.getBytes(StandardCharsets.UTF_8), AnalysisVerdict.class);
    }

    @Test
    void continuesAnAnalysisStoredByThePreviousVersionToTheSameVerdict() throws IOException {
        Analyses analyses = new Analyses(Duration.ofSeconds(2));
        AnalysisState s = EventCodec.readValue(resource("analysis-state.json"), LegacyAnalysisState.class).migrate();
        AnalysisVerdict verdict = null;
        int t = 20;
        for (List<MetricSample> second : rest()) {
            for (MetricSample sample : second) {
                s = analyses.add(s, sample);
            }
            verdict = analyses.early(s, T0.plusSeconds(t++));
            if (verdict != null) {
                break;
            }
        }
        assertThat(verdict).usingRecursiveComparison().isEqualTo(expectedVerdict());
    }

    @Test
    void migratesAStoredJsonStateWhenItsNextSampleComes() throws IOException {
        try (TopologyTestDriver driver = driver()) {
            driver.getKeyValueStore(AnalyzerTopology.STORE).put("r1", resource("analysis-state.json"));

            continuesToTheSameVerdict(driver);
        }
    }

    /**
     * The same analysis as the previous analyzer stored it: a head (definition and progress) per release
     * and an entry per series; legacy/per-series-state.txt holds the records, base64, per store and key.
     */
    @Test
    void carriesOverAnAnalysisStoredAsAHeadAndAnEntryPerSeries() throws IOException {
        try (TopologyTestDriver driver = driver()) {
            String[] lines = new String(resource("per-series-state.txt"), StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                String[] record = line.split(" ");
                byte[] value = Base64.getDecoder().decode(record[2]);
                if (record[0].equals(AnalyzerTopology.SERIES_STORE)) {
                    driver.<String, SeriesState>getKeyValueStore(record[0]).put(record[1], SeriesCodec.decode(value));
                } else {
                    driver.<String, byte[]>getKeyValueStore(record[0]).put(record[1], value);
                }
            }
            assertThat(AnalyzerTopologyTest.entries(driver, AnalyzerTopology.SERIES_STORE)).isEqualTo(lines.length - 1);

            continuesToTheSameVerdict(driver);
        }
    }

    private static TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/kafka-streams-state/" + java.util.UUID.randomUUID());
        var topology = new AnalyzerTopology(new Analyses(Duration.ofSeconds(2)), new MutableClock(T0),
                Duration.ofMillis(100), URI.create("urn:test")).build();
        return new TopologyTestDriver(topology, props, T0);
    }

    /** Feeds the rest of the samples: the verdict is the previous analyzer's, and nothing of the analysis is left. */
    private static void continuesToTheSameVerdict(TopologyTestDriver driver) throws IOException {
        var samples = driver.createInputTopic(Topics.METRIC_SAMPLES, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        var verdicts = driver.createOutputTopic(Topics.ANALYSIS_VERDICTS, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        boolean first = true;
        for (List<MetricSample> second : rest()) {
            for (MetricSample sample : second) {
                samples.pipeInput("r1", EventCodec.of(SampleMessage.class).encode(CloudEvent.of(URI.create("urn:x"),
                        "r1", sample.time(), sample)), sample.time());
                if (first) {
                    byte[] definition = driver.<String, byte[]>getKeyValueStore(AnalyzerTopology.STORE).get("r1");
                    assertThat(definition[0]).as("carried over at the first sample").isEqualTo(StateCodec.DEFINITION);
                    assertThat(AnalyzerTopologyTest.entries(driver, AnalyzerTopology.SERIES_STORE)).isZero();
                    first = false;
                }
            }
            if (!verdicts.isEmpty()) {
                break;
            }
        }
        AnalysisVerdict verdict = (AnalysisVerdict) EventCodec.of(VerdictMessage.class)
                .decode(verdicts.readValue()).data();
        assertThat(verdict).usingRecursiveComparison().ignoringFields("decidedAt").isEqualTo(expectedVerdict());
        assertThat(AnalyzerTopologyTest.entries(driver, AnalyzerTopology.STORE)).isZero();
        assertThat(AnalyzerTopologyTest.entries(driver, AnalyzerTopology.PROGRESS_STORE)).isZero();
        assertThat(AnalyzerTopologyTest.entries(driver, AnalyzerTopology.SERIES_STORE)).isZero();
    }
}
