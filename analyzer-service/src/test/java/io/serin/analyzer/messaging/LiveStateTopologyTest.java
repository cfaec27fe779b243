package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Histories;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisState;
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
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** How a running analysis lives in its two stores: a definition and a progress record per release. */
class LiveStateTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final MetricCheck SEQUENTIAL = new MetricCheck("error-rate", null,
            new Measure.Ratio("errors", "requests"), new Judge.Sequential(null, null, null), null);

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void stop() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private final class Analyzer {
        final TopologyTestDriver driver;
        final TestInputTopic<String, byte[]> commands;
        final TestInputTopic<String, byte[]> samples;
        final TestOutputTopic<String, byte[]> verdicts;

        Analyzer(int cachedAnalyses) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, "target/kafka-streams-state/" + java.util.UUID.randomUUID());
            driver = new TopologyTestDriver(new AnalyzerTopology(new Analyses(Duration.ofSeconds(1)), clock,
                    Duration.ofMillis(100), SOURCE, registry, cachedAnalyses).build(), props, T0);
            drivers.add(driver);
            commands = driver.createInputTopic(Topics.ANALYSIS_COMMANDS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            samples = driver.createInputTopic(Topics.METRIC_SAMPLES, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            verdicts = driver.createOutputTopic(Topics.ANALYSIS_VERDICTS, Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
        }

        void start(String releaseId, String analysisId, MetricCheck check) {
            commands.pipeInput(releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, releaseId,
                    T0, new AnalysisCommand.Start(analysisId, releaseId, T0, Duration.ofMinutes(10), List.of(check)))));
            // stable's hour before, as the Prometheus source sends it: the judge knows the noise from the start
            samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId,
                    T0, Histories.cleanHour(releaseId, Variant.STABLE, T0))), T0);
        }

        void sample(String releaseId, Variant variant, String metric, double value, Instant time) {
            samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId,
                    time, new MetricSample(releaseId, variant, metric, value, time))), time);
        }

        /** One second of both variants' counters. */
        void second(String releaseId, int t, int canaryErrors) {
            Instant at = T0.plusSeconds(t);
            sample(releaseId, Variant.STABLE, "requests", 50, at);
            sample(releaseId, Variant.STABLE, "errors", t % 2, at);
            sample(releaseId, Variant.CANARY, "requests", 50, at);
            sample(releaseId, Variant.CANARY, "errors", canaryErrors, at);
        }

        List<AnalysisVerdict> verdicts() {
            return verdicts.readValuesToList().stream()
                    .map(v -> (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(v).data()).toList();
        }

        long entries(String store) {
            return AnalyzerTopologyTest.entries(driver, store);
        }

        /** The release's analysis as its stores hold it. */
        AnalysisState stored(String releaseId) {
            byte[] definition = (byte[]) driver.getKeyValueStore(AnalyzerTopology.STORE).get(releaseId);
            byte[] progress = (byte[]) driver.getKeyValueStore(AnalyzerTopology.PROGRESS_STORE).get(releaseId);
            return StateCodec.progress(StateCodec.definition(definition), progress);
        }
    }

    private double samples(String outcome) {
        return registry.get(SampleMetrics.SAMPLES).tag("outcome", outcome).counter().count();
    }

    @Test
    void keepsADefinitionAndAProgressRecordPerReleaseAndDropsThemWithTheVerdict() {
        Analyzer analyzer = new Analyzer(AnalyzerTopology.DEFAULT_CACHED_ANALYSES);
        analyzer.start("r1", "r1/a1", SEQUENTIAL);
        analyzer.second("r1", 1, 1);
        assertThat(analyzer.entries(AnalyzerTopology.STORE)).isEqualTo(1);
        assertThat(analyzer.entries(AnalyzerTopology.PROGRESS_STORE)).isEqualTo(1);
        assertThat(analyzer.entries(AnalyzerTopology.SERIES_STORE)).isZero();
        assertThat(analyzer.stored("r1").series()).containsOnlyKeys("stable/requests", "stable/errors",
                "canary/requests", "canary/errors");

        for (int t = 2; t <= 60 && analyzer.verdicts.isEmpty(); t++) {
            analyzer.second("r1", t, 10);
        }

        assertThat(analyzer.verdicts()).extracting(AnalysisVerdict::verdict).containsExactly(Verdict.FAILED);
        assertThat(analyzer.entries(AnalyzerTopology.STORE)).isZero();
        assertThat(analyzer.entries(AnalyzerTopology.PROGRESS_STORE)).isZero();
    }

    @Test
    void aReplacingAnalysisStartsAfreshAndLeavesNothingOfTheOldOne() {
        Analyzer analyzer = new Analyzer(AnalyzerTopology.DEFAULT_CACHED_ANALYSES);
        analyzer.start("r1", "r1/a1", SEQUENTIAL);
        analyzer.second("r1", 1, 1);
        analyzer.start("r1", "r1/a2", SEQUENTIAL);

        assertThat(analyzer.stored("r1").analysisId()).isEqualTo("r1/a2");
        assertThat(analyzer.stored("r1").series()).isEmpty();
        analyzer.second("r1", 2, 1);
        assertThat(analyzer.stored("r1").series().get("canary/errors").samples()).isEqualTo(1);
    }

    @Test
    void countsAndReportsASampleThatComesAfterItsBucketWasFolded() {
        Analyzer analyzer = new Analyzer(AnalyzerTopology.DEFAULT_CACHED_ANALYSES);
        analyzer.start("r1", "r1/a1", SEQUENTIAL);
        for (int t = 1; t <= 5; t++) {
            analyzer.second("r1", t, t % 2);
        }
        analyzer.sample("r1", Variant.CANARY, "errors", 7, T0.plusSeconds(2));
        analyzer.sample("nobody", Variant.CANARY, "errors", 7, T0.plusSeconds(2));
        analyzer.sample("r1", Variant.CANARY, "cpu", 0.5, T0.plusSeconds(2));

        assertThat(samples("counted")).isEqualTo(20);
        assertThat(samples("late")).isEqualTo(1);
        assertThat(samples("ignored")).isEqualTo(2);
    }

    @Test
    void judgesAlikeWhenAnalysesAreReadBackFromTheStores() {
        List<List<AnalysisVerdict>> runs = new ArrayList<>();
        for (int cached : new int[] {AnalyzerTopology.DEFAULT_CACHED_ANALYSES, 1}) {
            Analyzer analyzer = new Analyzer(cached);
            analyzer.start("bad", "bad/a1", SEQUENTIAL);
            analyzer.start("good", "good/a1", SEQUENTIAL);
            List<AnalysisVerdict> verdicts = new ArrayList<>();
            for (int t = 1; t <= 300 && verdicts.size() < 2; t++) {
                if (verdicts.isEmpty()) {
                    analyzer.second("bad", t, 5);
                }
                analyzer.second("good", t, t % 2);
                verdicts.addAll(analyzer.verdicts());
            }
            runs.add(verdicts);
        }
        assertThat(runs.get(0)).extracting(AnalysisVerdict::releaseId, AnalysisVerdict::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bad", Verdict.FAILED),
                org.assertj.core.groups.Tuple.tuple("good", Verdict.SUCCESSFUL));
        assertThat(runs.get(1)).usingRecursiveComparison().isEqualTo(runs.get(0));
    }
}
