package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.analyzer.analysis.stats.Sampling;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.Direction;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricHistory;
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

    static MetricHistory cleanHour(Variant variant) {
        return Histories.cleanHour("r1", variant, T0);
    }

    @Test
    void sequentialFailsATenfoldErrorRateWithinSecondsWithTheEvidence() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = analyses.history(start(Duration.ofMinutes(10), check), cleanHour(Variant.STABLE));
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
    void withoutHistoryTheRobustJudgeStillFailsATenfoldErrorRateButTakesLongerAndSaysWhy() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 600; t++) {
            s = second(s, t, Variant.STABLE, 5, t % 2);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(t).as("it assumes noise of minutes it has not seen yet").isBetween(15, 300);
        assertThat(verdict.reason()).contains("worse").contains("as much as independent requests would");
    }

    @Test
    void theIndependentRequestsTestStaysAvailableAndFailsATenfoldErrorRateInSecondsWithoutHistory() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS,
                new Judge.Sequential(null, null, null, null, false), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        AnalysisVerdict verdict = null;
        int t = 1;
        for (; verdict == null && t <= 60; t++) {
            s = second(s, t, Variant.STABLE, 5, t % 2);
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(t).isLessThan(15);
        assertThat(verdict.reason()).doesNotContain("independent requests");
    }

    @Test
    void historyOfAnotherVariantOrWithoutTheMeasuresMetricsTeachesNothing() {
        MetricCheck check = new MetricCheck("error-rate", null, ERRORS, new Judge.Sequential(null, null, null), null);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        assertThat(analyses.history(s, cleanHour(Variant.BASELINE))).isSameAs(s);
        MetricHistory other = new MetricHistory("r1", Variant.STABLE, T0.minusSeconds(60), Duration.ofSeconds(5),
                List.of(new MetricHistory.Series("5xx", List.of(1.0, 2.0))));
        assertThat(analyses.history(s, other)).isSameAs(s);
    }

    @Test
    void sequentialPassesAnEqualErrorRateBeforeTheWindowEnds() {
        MetricCheck check = new MetricCheck("error-rate", Variant.CANARY, ERRORS, new Judge.Sequential(0.01, 0.01, 1.0),
                100L, Variant.BASELINE);
        AnalysisState s = analyses.history(start(Duration.ofMinutes(10), check), cleanHour(Variant.BASELINE));
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
        List<Double> counts = java.util.Collections.nCopies(720, 500.0);
        MetricHistory hour = new MetricHistory("r1", Variant.BASELINE, T0.minusSeconds(3600), Duration.ofSeconds(5),
                List.of(new MetricHistory.Series("latency", counts),
                        new MetricHistory.Series("latency", 0.1, java.util.Collections.nCopies(720, 250.0)),
                        new MetricHistory.Series("latency", 0.25, java.util.Collections.nCopies(720, 450.0)),
                        new MetricHistory.Series("latency", 0.32, java.util.Collections.nCopies(720, 495.0))));
        AnalysisState s = analyses.history(start(Duration.ofMinutes(5), check), hour);
        assertThat(s.checks().get(0).threshold()).as("taken from the hour of history").isEqualTo(0.32);
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
        assertThat(t).as("the threshold and the noise are known from the history: seconds").isLessThan(20);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        // 1% of baseline above 0.32 s is the p99's own share: the bound tested is 0.32 exactly, le and all
        assertThat(verdict.reason()).startsWith("latency-p99: requests slower than 0.32 s (baseline's p99 lies in "
                + "(0.25, 0.32] s): canary 10.00% (");
        assertThat(s.checks().get(0).threshold()).isEqualTo(0.32);
    }

    /** Istio's default request-duration buckets, in seconds. */
    static final double[] ISTIO = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
            300, 600, 1800, 3600};

    /**
     * One second of one variant's request durations as Istio publishes them: a Poisson(50) number of
     * log-normal latencies (median 100 ms, sigma 0.5, so p99 = 320 ms) times {@code factor}, counted
     * into cumulative buckets; the value is their total.
     */
    static MetricSample istioSecond(Sampling draw, Variant variant, Instant at, double factor) {
        return istioSecond(draw, variant, at, factor, 50);
    }

    static MetricSample istioSecond(Sampling draw, Variant variant, Instant at, double factor, double rate) {
        int n = draw.poisson(rate);
        long[] per = new long[ISTIO.length];
        for (int i = 0; i < n; i++) {
            double latency = factor * draw.logNormal(0.1, 0.5);
            for (int b = 0; b < ISTIO.length; b++) {
                if (latency <= ISTIO[b]) {
                    per[b]++;
                    break;
                }
            }
        }
        List<HistogramBucket> buckets = new java.util.ArrayList<>();
        long below = 0;
        for (int b = 0; b < ISTIO.length; b++) {
            below += per[b];
            buckets.add(new HistogramBucket(ISTIO[b], below));
        }
        return new MetricSample("r1", variant, "latency", n, at, buckets);
    }

    /** A p99 check of the canary against baseline, on Istio histograms, for up to 10 minutes. */
    private record Run(AnalysisState state, AnalysisVerdict verdict, int seconds) {
    }

    private Run istioRun(long seed, double canaryFactor) {
        MetricCheck check = new MetricCheck("latency-p99", null, new Measure.Latency("latency", 0.99),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        Sampling draw = new Sampling(seed);
        AnalysisState s = analyses.history(start(Duration.ofMinutes(10), check), Histories.istioHour(draw, "r1", Variant.BASELINE, T0));
        for (int t = 1; t <= 600; t++) {
            Instant at = T0.plusSeconds(t);
            s = analyses.add(s, istioSecond(draw, Variant.BASELINE, at, 1));
            s = analyses.add(s, istioSecond(draw, Variant.CANARY, at, canaryFactor));
            AnalysisVerdict verdict = analyses.early(s, at);
            if (verdict != null) {
                return new Run(s, verdict, t);
            }
        }
        return new Run(s, analyses.decide(s, T0.plusSeconds(602)), 602);
    }

    @Test
    void sequentialLatencyOnIstioBucketsPassesAHealthyCanaryAtTheBoundBelowTheP99() {
        Run run = istioRun(42, 1);

        assertThat(run.verdict().verdict()).isEqualTo(Verdict.SUCCESSFUL);
        // the p99 (320 ms) lies in (0.25, 0.5]: 0.5 s has ~0.06% above it, 0.25 s ~3.3%, the testable one
        assertThat(run.state().checks().get(0).threshold()).isEqualTo(0.25);
        MetricEvidence e = run.verdict().metrics().get(0);
        assertThat(e.compareValue()).isBetween(0.025, 0.042);
        assertThat(e.value()).isBetween(0.025, 0.042);
        assertThat(e.reason()).startsWith("latency-p99: requests slower than 0.25 s (baseline's p99 lies in "
                + "(0.25, 0.5] s): canary ").contains(" vs baseline ").contains("below 2.00x baseline (e-value");
        assertThat(run.seconds()).as("well within the 10-minute window").isLessThan(400);
    }

    @Test
    void sequentialLatencyOnIstioBucketsFailsACanaryWhoseLatenciesAreAQuarterLonger() {
        Run run = istioRun(42, 1.25);

        assertThat(run.verdict().verdict()).isEqualTo(Verdict.FAILED);
        assertThat(run.state().checks().get(0).threshold()).isEqualTo(0.25);
        MetricEvidence e = run.verdict().metrics().get(0);
        assertThat(e.value()).as("~8.3% of canary requests above 250 ms").isBetween(0.06, 0.11);
        assertThat(e.reason()).startsWith("latency-p99: requests slower than 0.25 s (baseline's p99 lies in "
                + "(0.25, 0.5] s): canary ").contains("worse (e-value");
        assertThat(run.seconds()).isLessThan(300);
    }

    @Test
    void sequentialLatencyLeftUndecidedSaysWhatItTestedNamingTheCheckOnce() {
        MetricCheck check = new MetricCheck("latency-p99", null, new Measure.Latency("latency", 0.99),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        AnalysisState s = start(Duration.ofSeconds(25), check);
        Sampling draw = new Sampling(42);
        for (int t = 1; t <= 25; t++) {
            Instant at = T0.plusSeconds(t);
            s = analyses.add(s, istioSecond(draw, Variant.BASELINE, at, 1));
            s = analyses.add(s, istioSecond(draw, Variant.CANARY, at, 1));
            assertThat(analyses.early(s, at)).isNull();
        }
        AnalysisVerdict verdict = analyses.decide(s, T0.plusSeconds(27));
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).startsWith("latency-p99: too little data to decide: requests slower than 0.25 s "
                + "(baseline's p99 lies in (0.25, 0.5] s): canary ").contains(" (e-value of worse ");
        assertThat(verdict.reason().split("latency", -1)).as("the check's name once, the metric's never").hasSize(2);

        AnalysisState early = start(Duration.ofSeconds(5), check);
        for (int t = 1; t <= 5; t++) {
            early = analyses.add(early, istioSecond(draw, Variant.BASELINE, T0.plusSeconds(t), 1));
        }
        assertThat(analyses.decide(early, T0.plusSeconds(7)).reason()).matches(
                "latency-p99: too little data: baseline's p99 needs 1000 observations, has \\d+");
    }

    @Test
    void sequentialLatencyOnRawObservationsTestsTheP99ItselfAndSaysSo() {
        MetricCheck check = new MetricCheck("latency-p99", null, new Measure.Latency("latency", 0.99),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        AnalysisState s = start(Duration.ofMinutes(10), check);
        Sampling draw = new Sampling(5);
        AnalysisVerdict verdict = null;
        for (int t = 1; verdict == null && t <= 600; t++) {
            for (int i = 0; i < 50; i++) { // one observation a sample, 50 a second per variant, 20 ms apart
                Instant at = T0.plusSeconds(t - 1).plusMillis(20 * (i + 1));
                s = analyses.add(s, new MetricSample("r1", Variant.BASELINE, "latency", draw.logNormal(0.1, 0.5), at));
                s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "latency", 1.25 * draw.logNormal(0.1, 0.5),
                        at));
            }
            verdict = analyses.early(s, T0.plusSeconds(t));
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        // dense data: the threshold is the p99 of baseline's first 1,000 observations to within the sketch's 2%,
        // the roundest value of its bucket; the estimate from all of them has moved by two buckets since
        double threshold = s.checks().get(0).threshold();
        assertThat(threshold).isEqualTo(0.33);
        assertThat(LogHistogram.roundest(LogHistogram.index(threshold))).isEqualTo(threshold);
        assertThat(verdict.reason()).startsWith("latency-p99: requests slower than 0.33 s (baseline's p99 is now "
                + "about 0.317 s): canary ");
        double p99 = s.sketch(Variant.BASELINE, "latency").quantile(0.99);
        assertThat(SequentialJudge.tested(check, new Measure.Latency("latency", 0.99), LogHistogram.roundest(
                LogHistogram.index(p99)), s.sketch(Variant.BASELINE, "latency")))
                .as("a threshold in the estimate's bucket is the p99").isEqualTo("requests slower than 0.317 s "
                        + "(baseline's p99)");
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
