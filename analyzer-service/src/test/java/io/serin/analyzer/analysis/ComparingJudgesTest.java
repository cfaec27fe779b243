package io.serin.analyzer.analysis;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.Direction;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricSample;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The judges that compare the canary with stable or baseline, driven sample by sample. */
class ComparingJudgesTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Measure.Ratio ERRORS = new Measure.Ratio("errors", "requests");

    private final Analyses analyses = new Analyses(Duration.ofSeconds(2));

    private AnalysisState start(Duration window, MetricCheck... checks) {
        return analyses.start(new AnalysisCommand.Start("a1", "r1", T0, window, List.of(checks)));
    }

    /** One second of counters for both variants; returns the state and, if decided, the early verdict. */
    private AnalysisState second(AnalysisState s, int t, Variant compareTo, int canaryErrors, int compareErrors) {
        Instant at = T0.plusSeconds(t);
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 50, at));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "errors", canaryErrors, at));
        s = analyses.add(s, new MetricSample("r1", compareTo, "requests", 50, at));
        return analyses.add(s, new MetricSample("r1", compareTo, "errors", compareErrors, at));
    }

    @Test
    void sequentialFailsATenfoldErrorRateWithinSecondsWithTheEvidence() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 60; t++) {
            s = second(s, t, Variant.STABLE, 5, t % 2);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(t).isLessThan(15);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.metrics()).singleElement().satisfies(e -> {
            assertThat(e.compareTo()).isEqualTo(Variant.STABLE);
            assertThat(e.value()).isEqualTo(0.1);
            assertThat(e.statistic()).isGreaterThanOrEqualTo(100);
            assertThat(e.pValue()).isLessThanOrEqualTo(0.01);
            assertThat(e.margin()).isEqualTo(1.0);
            assertThat(e.compareDenominator()).isEqualTo(e.denominator());
        });
        assertThat(verdict.reason()).startsWith("error-rate: canary 10.00% (").contains("vs stable").contains("worse");
    }

    @Test
    void sequentialPassesAnEqualErrorRateBeforeTheWindowEnds() {
        MetricCheck check = new MetricCheck("error-rate", Variant.CANARY, ERRORS, new Judge.Sequential(0.01, 0.01, 1.0),
                100L, Variant.BASELINE);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        for (int t = 1; verdict == null && t <= 600; t++) {
            s = second(s, t, Variant.BASELINE, t % 2, t % 2);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(verdict.decidedAt()).isBefore(T0.plusSeconds(300));
        assertThat(verdict.reason()).contains("below 2.00x baseline");
    }

    @Test
    void sequentialIsInconclusiveWithoutTrafficOnTheComparedVariantSayingSo() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofSeconds(30), check);
        for (int t = 1; t <= 30; t++) {
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 50, T0.plusSeconds(t)));
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "errors", 50, T0.plusSeconds(t)));
        }
        assertThat(analyses.early(s, T0.plusSeconds(30))).isNull();
        AnalysisVerdict verdict = analyses.decide(s, T0.plusSeconds(32));
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).isEqualTo("error-rate: too little data: no traffic on stable "
                + "(canary 100.00% (1500 / 1500) vs stable - (0 / 0))");
    }

    @Test
    void sequentialLatencyFailsACanaryOftenSlowerThanTheComparedP99() {
        MetricCheck check = new MetricCheck("latency-p99", null, new Measure.Latency("latency", 0.99),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        AnalysisState s = start(Duration.ofMinutes(5), check);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 120; t++) {
            Instant at = T0.plusSeconds(t);
            s = analyses.add(s, new MetricSample("r1", Variant.BASELINE, "latency", 100, at, List.of(
                    new HistogramBucket(0.1, 50), new HistogramBucket(0.25, 90), new HistogramBucket(0.32, 99))));
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "latency", 100, at, List.of(
                    new HistogramBucket(0.1, 30), new HistogramBucket(0.25, 80), new HistogramBucket(0.32, 90))));
            verdict = analyses.early(s, at);
        }
        assertThat(verdict).isNotNull();
        assertThat(t).as("10 s to learn baseline's p99, then seconds").isLessThan(20);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.reason()).contains("above baseline's p99 of 0.32");
        assertThat(s.checks().get(0).threshold()).isBetween(0.32, 0.33);
    }

    @Test
    void criticalComparisonFailsAtOnceAndAPlainOneWaitsForTheWindow() {
        MetricCheck cpu = new MetricCheck("cpu", null, new Measure.Mean("cpu"),
                new Judge.Comparison(Direction.INCREASE, 0.2, true), 5L);
        MetricCheck memory = new MetricCheck("memory", null, new Measure.Mean("memory"),
                new Judge.Comparison(null, null, null), 5L);
        AnalysisState s = start(Duration.ofMinutes(1), cpu, memory);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 60; t++) {
            Instant at = T0.plusSeconds(t);
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "cpu", 0.8, at));
            s = analyses.add(s, new MetricSample("r1", Variant.STABLE, "cpu", 0.5, at));
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "memory", 200, at));
            s = analyses.add(s, new MetricSample("r1", Variant.STABLE, "memory", 100, at));
            verdict = analyses.early(s, at);
        }
        assertThat(t).isLessThanOrEqualTo(8);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.metrics()).extracting(e -> e.verdict())
                .containsExactly(Verdict.FAILED, Verdict.FAILED);
        assertThat(verdict.metrics().get(0).reason()).isEqualTo(
                "cpu: canary 0.8000 vs stable 0.5000 (+60.0%, allowed increase 20.0%)");
        assertThat(verdict.metrics().get(0).statistic()).isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void mannWhitneyFailsAClearlyHigherErrorRateAtTheWindowsEndOnly() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.MannWhitney(null, null), null,
                Variant.BASELINE);
        AnalysisState s = start(Duration.ofSeconds(30), check);
        for (int t = 1; t <= 30; t++) {
            s = second(s, t, Variant.BASELINE, 3 + t % 3, t % 2);
            assertThat(analyses.early(s, T0.plusSeconds(t))).isNull();
        }
        AnalysisVerdict verdict = analyses.decide(s, T0.plusSeconds(32));
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.metrics().get(0).pValue()).isLessThan(0.02);
        assertThat(verdict.reason()).contains("Mann-Whitney z");
    }

    @Test
    void anInvalidJudgeIsAnErrorVerdictAtOnceNotACrash() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(2.0, null, null), null);
        AnalysisVerdict verdict = analyses.early(start(Duration.ofMinutes(1), check), T0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(verdict.reason()).startsWith("error-rate: need 0 < alpha, beta < 1");
    }

    @Test
    void sequentialPassesZeroErrorsOnBothSidesOnlyOnceTheCanarysRateIsShownNegligible() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 600; t++) {
            s = second(s, t, Variant.STABLE, 0, 0);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        // no ratio to compare: the pass rests on the canary's own requests, thousands of them without an error
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.SUCCESSFUL);
        MetricEvidence e = verdict.metrics().get(0);
        assertThat(e.denominator()).isBetween(5_000.0, 10_000.0);
        long requests = e.denominator().longValue();
        assertThat(e.reason()).startsWith("error-rate: canary 0.00% (0 / " + requests + ") vs stable 0.00% (0 / "
                + requests + "): below the negligible rate 0.1% (e-value ");
    }

    @Test
    void zeroErrorsOnBothSidesAtLowTrafficOrWithoutANegligibleRateStayInconclusive() {
        MetricCheck lowTraffic = new MetricCheck("low-traffic", null, ERRORS, new Judge.Sequential(null, null, null),
                null);
        AnalysisState s = start(Duration.ofMinutes(10), lowTraffic);
        for (int t = 1; t <= 600; t++) { // 1 request a second: 600 requests say little about a 0.1% rate
            Instant at = T0.plusSeconds(t);
            for (Variant v : List.of(Variant.CANARY, Variant.STABLE)) {
                s = analyses.add(s, new MetricSample("r1", v, "requests", 1, at));
                s = analyses.add(s, new MetricSample("r1", v, "errors", 0, at));
            }
            assertThat(analyses.early(s, at)).isNull();
        }
        AnalysisVerdict verdict = analyses.decide(s, T0.plusSeconds(602));
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).startsWith("low-traffic: too little data to decide: canary 0.00% (0 / 600) vs "
                + "stable 0.00% (0 / 600) (e-value of worse 1.00, of below 2.00x or 0.1% ");

        MetricCheck off = new MetricCheck("relative-only", null, ERRORS, new Judge.Sequential(null, null, null, 0.0),
                null);
        s = start(Duration.ofMinutes(10), off);
        for (int t = 1; t <= 600; t++) {
            s = second(s, t, Variant.STABLE, 0, 0);
            assertThat(analyses.early(s, T0.plusSeconds(t))).isNull();
        }
        verdict = analyses.decide(s, T0.plusSeconds(602));
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).startsWith("relative-only: too little data to decide: canary 0.00% (0 / 30000) "
                + "vs stable 0.00% (0 / 30000) (e-value of worse 1.00, of below 2.00x 1.00; either needs 100)");
    }

    @Test
    void theNegligibleRateDoesNotPassACanaryWithErrorsWhereStableHasNone() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        for (int t = 1; verdict == null && t <= 600; t++) { // canary 0.2%: above the negligible rate
            s = second(s, t, Variant.STABLE, t % 10 == 0 ? 1 : 0, 0);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void comparingJudgesSeeNoChangeInZeroErrorsOnBothSides() {
        // as Flagger's and Kayenta's would: equal values are no change; minCount is what asks for traffic
        MetricCheck comparison = new MetricCheck("comparison", null, ERRORS, new Judge.Comparison(null, null, null),
                100L);
        MetricCheck mannWhitney = new MetricCheck("mann-whitney", null, ERRORS, new Judge.MannWhitney(null, null),
                null);
        AnalysisState s = start(Duration.ofMinutes(2), comparison, mannWhitney);
        for (int t = 1; t <= 120; t++) {
            s = second(s, t, Variant.STABLE, 0, 0);
        }
        AnalysisVerdict verdict = analyses.decide(s, T0.plusSeconds(122));
        assertThat(verdict.metrics()).extracting(MetricEvidence::verdict).containsOnly(Verdict.SUCCESSFUL);
    }

    @Test
    void countsASampleForAFoldedBucketAsLateInTheWindowTotalsOnly() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 50, T0));
        assertThat(s.late()).as("stamped with the start: counts the interval before, not late").isZero();
        for (int t = 1; t <= 5; t++) {
            s = second(s, t, Variant.STABLE, 1, 1);
        }
        double tested = s.checks().get(0).test().canaryEvents();

        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "errors", 7, T0.plusSeconds(2)));

        assertThat(s.late()).isEqualTo(1);
        assertThat(s.series(Variant.CANARY, "errors")).isEqualTo(new Series(12, 6));
        assertThat(s.checks().get(0).test().canaryEvents()).isEqualTo(tested);
    }

    @Test
    void criticalComparisonFailsACanaryWithErrorsAgainstAStableWithoutAny() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Comparison(null, 0.5, true), 10L);
        AnalysisState s = start(Duration.ofMinutes(1), check);
        AnalysisVerdict verdict = null;
        for (int t = 1; verdict == null && t <= 10; t++) {
            s = second(s, t, Variant.STABLE, 1, 0);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.reason()).isEqualTo("error-rate: canary 0.0200 vs stable 0.0000 (from 0, allowed increase "
                + "50.0%)");
        assertThat(verdict.metrics().get(0).statistic()).isNull();
    }
}
