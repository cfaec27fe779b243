package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisHead;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.analyzer.analysis.SeriesState;
import io.serin.events.AnalysisCommand;
import io.serin.events.Direction;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.SourceProblem;
import io.serin.events.Variant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary state survives a round trip exactly: a restored analysis judges as the one before. */
class StateCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");
    private static final Measure.Ratio ERRORS = new Measure.Ratio("errors", "requests");
    private static final List<MetricCheck> EVERY_KIND = List.of(
            new MetricCheck("errors", null, ERRORS, new Judge.Sequential(0.01, null, 1.0), null, Variant.BASELINE),
            new MetricCheck("latency", Variant.CANARY, new Measure.Latency("latency", 0.99),
                    new Judge.Sequential(null, null, null), null),
            new MetricCheck("p95", Variant.CANARY, new Measure.Latency("latency", null),
                    new Judge.Comparison(Direction.EITHER, 0.25, true), 10L),
            new MetricCheck("cpu", Variant.CANARY, new Measure.Mean("cpu"), new Judge.Threshold(null, 0.9), null),
            new MetricCheck("cpu-mw", Variant.CANARY, new Measure.Mean("cpu"),
                    new Judge.MannWhitney(Direction.DECREASE, null), null),
            new MetricCheck("broken", Variant.CANARY, null, null, null));

    private final Analyses analyses = new Analyses(Duration.ofSeconds(2));

    @Test
    void coversEveryMeasureAndJudge() {
        Set<Class<?>> measures = EVERY_KIND.stream().map(MetricCheck::measure).filter(m -> m != null)
                .map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> judges = EVERY_KIND.stream().map(MetricCheck::judge).filter(j -> j != null)
                .map(Object::getClass).collect(Collectors.toSet());
        assertThat(measures).containsExactlyInAnyOrder(Measure.class.getPermittedSubclasses());
        assertThat(judges).containsExactlyInAnyOrder(Judge.class.getPermittedSubclasses());
    }

    @Test
    void readsBackAnAnalysisWithEveryKindOfCheckItsProgressProblemsAndSeries() {
        AnalysisState s = analyses.start(new AnalysisCommand.Start("a1", "r1", T0, Duration.ofMinutes(10), EVERY_KIND));
        for (int t = 1; t <= 40; t++) {
            Instant at = T0.plusSeconds(t);
            for (Variant v : List.of(Variant.CANARY, Variant.BASELINE, Variant.STABLE)) {
                s = analyses.add(s, new MetricSample("r1", v, "requests", 50, at));
                s = analyses.add(s, new MetricSample("r1", v, "errors", t % 3, at));
                s = analyses.add(s, new MetricSample("r1", v, "cpu", 0.5 + t % 2, at));
                s = analyses.add(s, new MetricSample("r1", v, "latency", 100, at, List.of(
                        new HistogramBucket(0.1, 50), new HistogramBucket(0.25, 90), new HistogramBucket(0.5, 99))));
            }
        }
        s = analyses.problem(s, new SourceProblem("r1", "a1", Variant.CANARY, "cpu", T0.plusSeconds(3),
                SourceProblem.Reason.TIMEOUT, null, "q"));
        AnalysisHead head = s.head();
        assertThat(head.checks()).anySatisfy(c -> assertThat(c.threshold()).isNotNull());
        assertThat(head.checks()).anySatisfy(c -> assertThat(c.decided()).isNotNull());
        assertThat(head.checks()).anySatisfy(c -> assertThat(c.values()).isNotEmpty());

        AnalysisState read = StateCodec.progress(StateCodec.definition(StateCodec.definition(head)),
                StateCodec.progress(s));

        assertThat(read.head()).usingRecursiveComparison().isEqualTo(head);
        assertThat(read.layout().size()).isEqualTo(s.layout().size());
        for (int slot = 0; slot < s.layout().size(); slot++) {
            assertSameSeries(read.series(slot), s.series(slot));
        }
        assertThat(read.series()).isEqualTo(s.series());
    }

    @Test
    void readsBackASeriesWithItsSketchAndOpenBuckets() {
        AnalysisState s = analyses.start(new AnalysisCommand.Start("a1", "r1", T0, Duration.ofMinutes(10), EVERY_KIND));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "latency", 100, T0.plusSeconds(1), List.of(
                new HistogramBucket(0.1, 50), new HistogramBucket(0.25, 90), new HistogramBucket(0.5, 99))));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "latency", 0.7, T0.plusSeconds(2)));
        int slot = s.layout().slot(Variant.CANARY, "latency");
        SeriesState series = s.series(slot);

        assertSameSeries(SeriesCodec.decode(SeriesCodec.encode(series)), series);
        assertThat(SeriesCodec.decode(SeriesCodec.encode(SeriesState.EMPTY)).seen()).isEqualTo(SeriesState.NEVER);
        assertThat(SeriesCodec.encode(series)).hasSize(1 + SeriesCodec.size(series));
    }

    @Test
    void aSeriesNeverSampledStaysTheEmptyOneThatIsNotWritten() {
        AnalysisState s = analyses.start(new AnalysisCommand.Start("a1", "r1", T0, Duration.ofMinutes(10), EVERY_KIND));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "cpu", 0.5, T0.plusSeconds(1)));

        AnalysisState read = StateCodec.progress(StateCodec.definition(StateCodec.definition(s.head())),
                StateCodec.progress(s));

        int cpu = s.layout().slot(Variant.CANARY, "cpu");
        for (int slot = 0; slot < s.layout().size(); slot++) {
            assertThat(read.series(slot) == SeriesState.EMPTY).as("slot %d", slot).isEqualTo(slot != cpu);
        }
    }

    private static void assertSameSeries(SeriesState read, SeriesState series) {
        assertThat(read.totals()).isEqualTo(series.totals());
        assertThat(read.seen()).isEqualTo(series.seen());
        assertThat(read.buckets()).containsExactly(series.buckets());
        assertThat(read.width()).isEqualTo(series.width());
        assertThat(read.sums()).containsExactly(series.sums());
        assertThat(read.sketch().total()).isEqualTo(series.sketch().total());
        if (series.sketch().total() > 0) {
            assertThat(read.sketch().quantile(0.99)).isEqualTo(series.sketch().quantile(0.99));
        }
    }

    @Test
    void refusesAStateWrittenInAnotherFormat() {
        byte[] json = "{\"analysisId\":\"a1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StateCodec.definition(json))
                .hasMessageContaining("unknown analysis definition version 123, expected 1 to 3");
        assertThatThrownBy(() -> StateCodec.progress(null, json))
                .hasMessageContaining("unknown analysis progress version 123, expected 2");
        assertThatThrownBy(() -> SeriesCodec.decode(Arrays.copyOf(json, 3)))
                .hasMessageContaining("unknown series state version 123");
    }
}
