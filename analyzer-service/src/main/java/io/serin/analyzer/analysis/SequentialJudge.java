package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Variant;
import io.serin.events.Verdict;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The sequential judge on top of {@link SequentialRateTest}: per folded bucket, the events and
 * exposures of the variant and the compared variant. Events are errors (a ratio's numerator per
 * denominator) or, for a latency measure, observations above a threshold near the compared variant's
 * quantile: a bound at which every sample's exceedances can be counted exactly (for histograms, one of
 * their bucket bounds, see {@link io.serin.analyzer.analysis.stats.TestableThreshold}), fixed from the
 * compared variant's first observations and only then counted on both sides. The verdict's text names
 * that threshold, and where the quantile lies relative to it.
 */
final class SequentialJudge {

    /** Observations of the compared variant expected above its quantile before the quantile is fixed. */
    static final double WARM_UP_EXCEEDANCES = 10;

    private SequentialJudge() {
    }

    /** The negligible rate of a ratio measure when the judge names none. */
    static final double DEFAULT_NEGLIGIBLE_RATE = 0.001;

    /** The test a check runs; the negligible rate applies to ratio measures only. */
    static SequentialRateTest test(MetricCheck check, Judge.Sequential judge) {
        double floor = check.measure() instanceof Measure.Ratio ? or(judge.negligibleRate(), DEFAULT_NEGLIGIBLE_RATE)
                : 0;
        return new SequentialRateTest(or(judge.alpha(), 0.01), or(judge.beta(), 0.01), or(judge.margin(), 1.0),
                floor, Boolean.FALSE.equals(judge.robust()) ? null : SequentialRateTest.Robustness.DEFAULT);
    }

    /** Observations of the compared variant needed to fix its quantile. */
    static double warmUp(Measure.Latency latency) {
        return Math.ceil(WARM_UP_EXCEEDANCES / (1 - Measured.quantile(latency)));
    }

    static CheckState onBucket(MetricCheck check, int index, Judge.Sequential judge, CheckState state,
            Bucket sums, AnalysisState analysis) {
        double xC;
        double nC;
        double xB;
        double nB;
        if (check.measure() instanceof Measure.Ratio ratio) {
            xC = sums.sum(check.variant(), ratio.numerator());
            nC = sums.sum(check.variant(), ratio.denominator());
            xB = sums.sum(check.compareTo(), ratio.numerator());
            nB = sums.sum(check.compareTo(), ratio.denominator());
        } else {
            String metric = ((Measure.Latency) check.measure()).metric();
            xC = sums.exceedances(index, check.variant(), metric);
            nC = sums.observations(index, check.variant(), metric);
            xB = sums.exceedances(index, check.compareTo(), metric);
            nB = sums.observations(index, check.compareTo(), metric);
        }
        SequentialRateTest test = test(check, judge);
        RateTestState next = test.update(state.test(), sums.endSecond(), xC, nC, xB, nB);
        CheckState updated = state.withTest(next);
        SequentialRateTest.Decision decision = test.decide(next);
        long minCount = check.minCount() == null ? 0 : check.minCount();
        if (decision == SequentialRateTest.Decision.FAIL) {
            return updated.decide(evidence(check, test, updated, Verdict.FAILED, null, analysis));
        }
        if (decision == SequentialRateTest.Decision.PASS && next.canaryExposure() >= minCount) {
            return updated.decide(evidence(check, test, updated, Verdict.SUCCESSFUL, null, analysis));
        }
        return updated;
    }

    /** The evidence of a check that did not decide before the window ended: INCONCLUSIVE. */
    static MetricEvidence evidence(MetricCheck check, Judge.Sequential judge, CheckState state,
            AnalysisState analysis) {
        SequentialRateTest test = test(check, judge);
        if (check.measure() instanceof Measure.Latency latency && state.threshold() == null) {
            double have = analysis.sketch(check.compareTo(), latency.metric()).total();
            return evidence(check, test, state, Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%s: too little data: %s's p%s needs %s observations, has %s", check.name(),
                    check.compareTo().label(), percent(Measured.quantile(latency)), Judges.count(warmUp(latency)),
                    Judges.count(have)), analysis);
        }
        return evidence(check, test, state, Verdict.INCONCLUSIVE, null, analysis);
    }

    private static long samples(MetricCheck check, AnalysisState analysis) {
        String metric = check.measure() instanceof Measure.Ratio ratio ? ratio.denominator()
                : ((Measure.Latency) check.measure()).metric();
        return analysis.series(check.variant(), metric).samples();
    }

    private static MetricEvidence evidence(MetricCheck check, SequentialRateTest test, CheckState state,
            Verdict verdict, String givenReason, AnalysisState analysis) {
        RateTestState s = state.test();
        long samples = samples(check, analysis);
        String canary = rate(check.variant(), s.canaryEvents(), s.canaryExposure());
        String compared = rate(check.compareTo(), s.baselineEvents(), s.baselineExposure());
        // a latency check's rates are shares above its threshold: name the threshold once, before them
        String what = check.measure() instanceof Measure.Latency latency && state.threshold() != null
                ? tested(check, latency, state.threshold(), analysis.sketch(check.compareTo(), latency.metric()))
                        + ": "
                : "";
        String reason = givenReason != null ? givenReason : switch (verdict) {
            case FAILED -> String.format(Locale.ROOT, "%s: %s%s vs %s: worse (e-value %.1f >= 1/alpha = %.0f, "
                    + "always-valid p %.4f)", check.name(), what, canary, compared, test.eFail(s), 1 / test.alpha(),
                    test.pValue(s));
            case SUCCESSFUL -> test.passedByFloor(s)
                    ? String.format(Locale.ROOT, "%s: %s%s vs %s: below the negligible rate %s (e-value %.1f >= "
                            + "1/beta = %.0f)", check.name(), what, canary, compared, percentage(test.floor()),
                            test.passEvidence(s), 1 / test.beta())
                    : String.format(Locale.ROOT, "%s: %s%s vs %s: below %.2fx %s (e-value %.1f >= 1/beta = %.0f)",
                            check.name(), what, canary, compared, 1 + test.margin(), check.compareTo().label(),
                            test.passEvidence(s), 1 / test.beta());
            default -> s.canaryExposure() == 0 || s.baselineExposure() == 0
                    ? String.format(Locale.ROOT, "%s: too little data: no traffic on %s (%s%s vs %s)", check.name(),
                            s.canaryExposure() == 0 ? check.variant().label() : check.compareTo().label(), what,
                            canary, compared)
                    : String.format(Locale.ROOT, "%s: too little data to decide: %s%s vs %s (e-value of worse %.2f, "
                            + "of below %.2fx%s %.2f; either needs %.0f)", check.name(), what, canary, compared,
                            test.eFail(s), 1 + test.margin(), test.floor() > 0 ? " or " + percentage(test.floor())
                                    : "", test.passEvidence(s), 1 / Math.max(test.alpha(), test.beta()));
        };
        if (givenReason == null && s.canaryExposure() > 0 && s.baselineExposure() > 0) {
            reason += noise(test, s);
        }
        Double value = s.canaryExposure() > 0 ? s.canaryEvents() / s.canaryExposure() : null;
        Double compareValue = s.baselineExposure() > 0 ? s.baselineEvents() / s.baselineExposure() : null;
        return new MetricEvidence(check.name(), check.variant(), verdict, value, null, null, s.canaryEvents(),
                s.canaryExposure(), samples, reason, check.compareTo(), compareValue, s.baselineEvents(),
                s.baselineExposure(), finite(test.eFail(s)), test.pValue(s), test.margin());
    }

    /**
     * What a latency check counts, exactly, and where the compared variant's quantile lies as its
     * sketch knows it now: "requests slower than 0.25 s (baseline's p99 lies in (0.25, 0.5] s)", or
     * "(baseline's p99)" when the threshold is that quantile to within the sketch's resolution. A
     * histogram's bound is never called the quantile: where the sketch has a gap below the quantile's
     * bucket (a coarse histogram), the text gives the interval between the occupied bounds.
     */
    static String tested(MetricCheck check, Measure.Latency latency, double threshold, LogHistogram sketch) {
        return String.format(Locale.ROOT, "requests slower than %s s (%s)", seconds(threshold),
                where(check.compareTo().label() + "'s p" + percent(Measured.quantile(latency)), threshold,
                        sketch, Measured.quantile(latency)));
    }

    private static String where(String quantile, double threshold, LogHistogram sketch, double q) {
        int at = sketch.quantilePosition(q);
        if (at < 0) {
            return quantile + " unknown";
        }
        int tested = LogHistogram.index(threshold);
        int upper = sketch.indexAt(at);
        String hi = seconds(upper == tested ? threshold : LogHistogram.roundest(upper));
        if (at == 0) {
            return upper == Integer.MAX_VALUE ? quantile + " lies above every bound"
                    : quantile + " is at most " + hi + " s";
        }
        int lower = sketch.indexAt(at - 1);
        if (lower == upper - 1) { // dense around the quantile: raw observations, or a fine histogram
            return Math.abs(tested - upper) <= 1 ? quantile : quantile + " is now about " + hi + " s";
        }
        String lo = seconds(lower == tested ? threshold : LogHistogram.roundest(lower));
        return upper == Integer.MAX_VALUE ? quantile + " lies above " + lo + " s"
                : quantile + " lies in (" + lo + ", " + hi + "] s";
    }

    /** Seconds to four significant digits, without trailing zeros: 0.25, 2.5, 300, 0.3245. */
    static String seconds(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return new BigDecimal(value).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }

    /**
     * How much the robust test discounted the evidence: the counts vary this many times as much as
     * independent requests would make them vary; empty when that is (close to) 1.
     */
    private static String noise(SequentialRateTest test, RateTestState s) {
        double phi = test.dispersion(s);
        return phi < 1.05 ? "" : String.format(Locale.ROOT, "; counts vary %.1fx as much as independent requests "
                + "would, evidence discounted by that", phi);
    }

    private static String rate(Variant variant, double events, double exposure) {
        return exposure > 0
                ? String.format(Locale.ROOT, "%s %.2f%% (%s / %s)", variant.label(), 100 * events / exposure,
                        Judges.count(events), Judges.count(exposure))
                : String.format(Locale.ROOT, "%s - (%s / 0)", variant.label(), Judges.count(events));
    }

    private static String percentage(double rate) {
        return Judges.count(Math.round(rate * 100_000) / 1000.0) + "%";
    }

    private static String percent(double quantile) {
        return Judges.count(Math.round(quantile * 1000) / 10.0);
    }

    private static double finite(double value) {
        return Math.min(value, Double.MAX_VALUE);
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
