package io.serin.analyzer.analysis;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.SourceProblem;
import io.serin.events.SourceProblem.Reason;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Source problems make a check left without data say why, and change no decision. */
class SourceProblemsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final MetricCheck ERROR_RATE = new MetricCheck("error-rate", Variant.CANARY,
            new Measure.Ratio("errors", "requests"), new Judge.Threshold(null, 0.05), 100L);
    private static final MetricCheck CPU = new MetricCheck("cpu", Variant.CANARY, new Measure.Mean("cpu"),
            new Judge.Threshold(null, 0.9), null);

    private final Analyses analyses = new Analyses(Duration.ofSeconds(2));
    private final AnalysisState started = analyses.start(new AnalysisCommand.Start("a1", "r1", T0,
            Duration.ofSeconds(30), List.of(ERROR_RATE, CPU)));

    private static SourceProblem problem(String analysisId, String metric, Instant time, Reason reason, String detail) {
        return new SourceProblem("r1", analysisId, Variant.CANARY, metric, time, reason, detail, "q");
    }

    @Test
    void aCheckLeftWithoutDataNamesTheProblemsOfItsSeries() {
        AnalysisState s = started;
        s = analyses.problem(s, problem("a1", "errors", T0.plusSeconds(10), Reason.TIMEOUT, "slow"));
        s = analyses.problem(s, problem("a1", "errors", T0.plusSeconds(20), Reason.QUERY_ERROR,
                "Prometheus answered HTTP 400 bad_data: parse error"));
        s = analyses.problem(s, problem("a1", "requests", T0.plusSeconds(20), Reason.NO_DATA, "no series matched"));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "cpu", 0.5, T0.plusSeconds(10)));

        AnalysisVerdict v = analyses.decide(s, T0.plusSeconds(32));

        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("error-rate: too little data (0 observations, need 100); source problems: "
                + "canary/errors 2 samples missing (last QUERY_ERROR: Prometheus answered HTTP 400 bad_data: parse "
                + "error), canary/requests 1 sample missing (last NO_DATA: no series matched)");
        assertThat(v.metrics().get(1).reason()).as("cpu had its data").doesNotContain("source problems");
    }

    @Test
    void problemsOfAnotherAnalysisOutsideTheWindowOrOfUnreadSeriesAreIgnored() {
        AnalysisState s = started;
        s = analyses.problem(s, problem("a0", "errors", T0.plusSeconds(10), Reason.TIMEOUT, "old analysis"));
        s = analyses.problem(s, problem("a1", "errors", T0.minusSeconds(1), Reason.TIMEOUT, "before"));
        s = analyses.problem(s, problem("a1", "errors", T0.plusSeconds(31), Reason.TIMEOUT, "after"));
        s = analyses.problem(s, problem("a1", "latency", T0.plusSeconds(10), Reason.TIMEOUT, "not read"));

        assertThat(s).isSameAs(started);
        assertThat(analyses.problem(s, problem(null, "errors", T0.plusSeconds(10), Reason.TIMEOUT, "any analysis"))
                .problems()).containsOnlyKeys("canary/errors");
    }

    @Test
    void aDecidedCheckKeepsItsReason() {
        AnalysisState s = analyses.problem(started, problem("a1", "cpu", T0.plusSeconds(10), Reason.TIMEOUT, "slow"));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "cpu", 0.5, T0.plusSeconds(20)));

        AnalysisVerdict v = analyses.decide(s, T0.plusSeconds(32));

        assertThat(v.metrics().get(1).verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(v.metrics().get(1).reason()).isEqualTo("cpu 0.5000 within bounds (1 observations over 1 samples)");
    }
}
