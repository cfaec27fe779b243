package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
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
import io.serin.testsupport.JsonMutator;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start commands and samples from a careless or hostile writer: bounds the planner would never send,
 * and every example of the analyzer's topics mutated (fields removed or null, extremes, huge
 * strings, deep nesting, wrong types, truncated bytes) through the real topology, with an analysis
 * live for the examples' release. Nothing escapes the processor, and analyses still decide afterwards.
 */
class AnalyzerFuzzTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:16:02Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final String LIVE = "rel-20261122-payment-gateway-v2";
    private static final int SEEDS = 200;

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
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-fuzz");
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

    @Test
    void answersAStartBeyondTheBoundsWithAnErrorVerdictAndDeadLettersIt() {
        start("huge", Duration.parse("PT9999999999999H"));
        AnalysisVerdict verdict = verdicts().get(0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(verdict.analysisId()).isEqualTo("huge/step-1");
        assertThat(verdict.reason()).contains("duration must be positive and at most PT24H");
        TestRecord<String, byte[]> dead = driver.createOutputTopic(Topics.deadLetter(Topics.ANALYSIS_COMMANDS),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer()).readRecord();
        assertThat(new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("analysis start duration must be");

        decidesANormalAnalysis("next");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.serin.analysis.start.v1.json", "io.serin.metrics.sample.v1.json",
            "io.serin.metrics.sample-batch.v1.json", "io.serin.metrics.source-problem.v1.json"})
    void noMutationOfAnInputStopsTheAnalyzer(String example) {
        byte[] valid = JsonMutator.read(JsonMutator.docs().resolve("examples").resolve(example));
        TestInputTopic<String, byte[]> topic = example.startsWith("io.serin.analysis") ? commands : samples;
        for (long seed = 0; seed < SEEDS; seed++) {
            if (seed % 40 == 0) {
                start(LIVE, Duration.ofMinutes(10)); // a live analysis for the examples' release
            }
            byte[] mutated = JsonMutator.mutate(valid, seed);
            clock.advance(Duration.ofMillis(500));
            try {
                topic.pipeInput(seed % 7 == 0 ? null : LIVE, mutated);
                driver.advanceWallClockTime(Duration.ofMillis(500));
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " of " + example + " escaped the processor: "
                        + new String(mutated, 0, Math.min(mutated.length, 600), StandardCharsets.UTF_8), e);
            }
        }
        decidesANormalAnalysis("after-fuzz");
    }

    private void decidesANormalAnalysis(String releaseId) {
        verdicts.readValuesToList();
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 10L);
        Instant at = clock.instant();
        commands.pipeInput(releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, releaseId, at,
                new AnalysisCommand.Start(releaseId + "/step-1", releaseId, at, Duration.ofSeconds(10),
                        List.of(errorRate)))));
        for (int s = 1; s <= 10; s++) {
            Instant t = at.plusSeconds(s);
            sample(releaseId, "requests", 100, t);
            sample(releaseId, "errors", 1, t);
        }
        clock.advance(Duration.ofSeconds(15));
        driver.advanceWallClockTime(Duration.ofSeconds(15));
        assertThat(verdicts()).filteredOn(v -> v.releaseId().equals(releaseId)).singleElement()
                .extracting(AnalysisVerdict::verdict).isEqualTo(Verdict.SUCCESSFUL);
    }

    private void start(String releaseId, Duration duration) {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 100L);
        commands.pipeInput(releaseId, EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, releaseId,
                clock.instant(), new AnalysisCommand.Start(releaseId + "/step-1", releaseId, clock.instant(), duration,
                        List.of(errorRate)))));
    }

    private void sample(String releaseId, String metric, double value, Instant time) {
        samples.pipeInput(releaseId, EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, releaseId, time,
                new MetricSample(releaseId, Variant.CANARY, metric, value, time))), time);
    }

    private List<AnalysisVerdict> verdicts() {
        return verdicts.readValuesToList().stream()
                .map(v -> (AnalysisVerdict) EventCodec.of(VerdictMessage.class).decode(v).data()).toList();
    }
}
