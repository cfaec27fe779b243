package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Topics;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.events.WorkloadRef;
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
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** A source problem on the samples topic reaches the verdict of its analysis and crashes nothing. */
class SourceProblemTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");

    private final MutableClock clock = new MutableClock(T0);
    private final TopologyTestDriver driver = driver();
    private final TestInputTopic<String, byte[]> commands = driver.createInputTopic(Topics.ANALYSIS_COMMANDS,
            Serdes.String().serializer(), Serdes.ByteArray().serializer());
    private final TestInputTopic<String, byte[]> samples = driver.createInputTopic(Topics.METRIC_SAMPLES,
            Serdes.String().serializer(), Serdes.ByteArray().serializer());
    private final TestOutputTopic<String, byte[]> verdicts = driver.createOutputTopic(Topics.ANALYSIS_VERDICTS,
            Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

    private TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(new AnalyzerTopology(new Analyses(Duration.ofSeconds(1)), clock,
                Duration.ofMillis(100), SOURCE).build(), props, T0);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void namesABrokenQueryInTheInconclusiveVerdictOfTheAnalysis() {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 100L);
        commands.pipeInput("r1", EventCodec.of(AnalysisCommand.class).encode(CloudEvent.of(SOURCE, "r1", T0,
                new AnalysisCommand.Start("r1/step-1", "r1", T0, Duration.ofSeconds(10), List.of(errorRate),
                        new WorkloadRef("Deployment", "payments", "payment-gateway")))));
        Instant at = T0.plusSeconds(5);
        samples.pipeInput("r1", EventCodec.of(SampleMessage.class).encode(CloudEvent.of(SOURCE, "r1", at,
                new SourceProblem("r1", "r1/step-1", Variant.CANARY, "errors", at, SourceProblem.Reason.QUERY_ERROR,
                        "Prometheus answered HTTP 400 bad_data: parse error", "sum(x"))), at);

        clock.advance(Duration.ofSeconds(12));
        driver.advanceWallClockTime(Duration.ofSeconds(12));

        AnalysisVerdict verdict = (AnalysisVerdict) EventCodec.of(VerdictMessage.class)
                .decode(verdicts.readValue()).data();
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).endsWith("; source problems: canary/errors 1 sample missing (last QUERY_ERROR: "
                + "Prometheus answered HTTP 400 bad_data: parse error)");
        assertThat(driver.producedTopicNames()).doesNotContain(Topics.deadLetter(Topics.METRIC_SAMPLES));
    }
}
