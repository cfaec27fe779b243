package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Variant;
import io.serin.events.Verdict;

import java.util.Locale;
import java.util.Map;

/**
 * The sequential judge on top of {@link SequentialRateTest}: per folded bucket, the events and
 * exposures of the variant and the compared variant. Events are errors (a ratio's numerator per
 * denominator) or, for a latency measure, observations above the compared variant's quantile, which
 * is fixed from the compared variant's first observations and only then counted on both sides.
 */
final class SequentialJudge {

    /** Observations of the compared variant expected above its quantile before the quantile is fixed. */
    static final double WARM_UP_EXCEEDANCES = 10;

    private SequentialJudge() {
    }

    static SequentialRateTest test(Judge.Sequential judge) {
        return new SequentialRateTest(or(judge.alpha(), 0.01), or(judge.beta(), 0.01), or(judge.margin(), 1.0));
    }

    /** Observations of the compared variant needed to fix its quantile. */
    static double warmUp(Measure.Latency latency) {
        return Math.ceil(WARM_UP_EXCEEDANCES / (1 - Measured.quantile(latency)));
    }

    static String exceedKey(int index, Variant variant, String what) {
        return index + ":" + variant.label() + ":" + what;
    }

    static CheckState onBucket(MetricCheck check, int index, Judge.Sequential judge, CheckState state,
            Map<String, Double> sums, AnalysisState analysis) {
        double xC;
        double nC;
        double xB;
        double nB;
        if (check.measure() instanceof Measure.Ratio ratio) {
            xC = sums.getOrDefault(AnalysisState.key(check.variant(), ratio.numerator()), 0.0);
            nC = sums.getOrDefault(AnalysisState.key(check.variant(), ratio.denominator()), 0.0);
            xB = sums.getOrDefault(AnalysisState.key(check.compareTo(), ratio.numerator()), 0.0);
            nB = sums.getOrDefault(AnalysisState.key(check.compareTo(), ratio.denominator()), 0.0);
        } else {
            xC = sums.getOrDefault(exceedKey(index, check.variant(), "x"), 0.0);
            nC = sums.getOrDefault(exceedKey(index, check.variant(), "n"), 0.0);
            xB = sums.getOrDefault(exceedKey(index, check.compareTo(), "x"), 0.0);
            nB = sums.getOrDefault(exceedKey(index, check.compareTo(), "n"), 0.0);
        }
        SequentialRateTest test = test(judge);
        RateTestState next = test.update(state.test(), xC, nC, xB, nB);
        CheckState updated = state.withTest(next);
        SequentialRateTest.Decision decision = test.decide(next);
        long minCount = check.minCount() == null ? 0 : check.minCount();
        if (decision == SequentialRateTest.Decision.FAIL) {
            return updated.decide(evidence(check, test, updated, Verdict.FAILED, null, samples(check, analysis)));
        }
        if (decision == SequentialRateTest.Decision.PASS && next.canaryExposure() >= minCount) {
            return updated.decide(evidence(check, test, updated, Verdict.SUCCESSFUL, null, samples(check, analysis)));
        }
        return updated;
    }

    /** The evidence of a check that did not decide before the window ended: INCONCLUSIVE. */
    static MetricEvidence evidence(MetricCheck check, Judge.Sequential judge, CheckState state,
            AnalysisState analysis) {
        SequentialRateTest test = test(judge);
        if (check.measure() instanceof Measure.Latency latency && state.threshold() == null) {
            double have = analysis.sketch(check.compareTo(), latency.metric()).total();
            return evidence(check, test, state, Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%s: too little data: %s's p%s needs %s observations, has %s", check.name(),
                    check.compareTo().label(), percent(Measured.quantile(latency)), Judges.count(warmUp(latency)),
                    Judges.count(have)), samples(check, analysis));
        }
        return evidence(check, test, state, Verdict.INCONCLUSIVE, null, samples(check, analysis));
    }

    private static long samples(MetricCheck check, AnalysisState analysis) {
        String metric = check.measure() instanceof Measure.Ratio ratio ? ratio.denominator()
                : ((Measure.Latency) check.measure()).metric();
        return analysis.series(check.variant(), metric).samples();
    }

    private static MetricEvidence evidence(MetricCheck check, SequentialRateTest test, CheckState state,
            Verdict verdict, String givenReason, long samples) {
        RateTestState s = state.test();
        String canary = rate(check.variant(), s.canaryEvents(), s.canaryExposure());
        String compared = rate(check.compareTo(), s.baselineEvents(), s.baselineExposure());
        String what = check.measure() instanceof Measure.Latency latency
                ? String.format(Locale.ROOT, " above %s's p%s of %.3f s", check.compareTo().label(),
                        percent(Measured.quantile(latency)), state.threshold())
                : "";
        String reason = givenReason != null ? givenReason : switch (verdict) {
            case FAILED -> String.format(Locale.ROOT, "%s: %s vs %s%s: worse (e-value %.1f >= 1/alpha = %.0f, "
                    + "always-valid p %.4f)", check.name(), canary, compared, what, test.eFail(s), 1 / test.alpha(),
                    test.pValue(s));
            case SUCCESSFUL -> String.format(Locale.ROOT, "%s: %s vs %s%s: below %.2fx %s (e-value %.1f >= 1/beta "
                    + "= %.0f)", check.name(), canary, compared, what, 1 + test.margin(), check.compareTo().label(),
                    test.ePass(s), 1 / test.beta());
            default -> s.canaryExposure() == 0 || s.baselineExposure() == 0
                    ? String.format(Locale.ROOT, "%s: too little data: no traffic on %s (%s vs %s)", check.name(),
                            s.canaryExposure() == 0 ? check.variant().label() : check.compareTo().label(), canary,
                            compared)
                    : String.format(Locale.ROOT, "%s: too little data to decide: %s vs %s%s (e-value of worse %.2f, "
                            + "of below %.2fx %.2f; either needs %.0f)", check.name(), canary, compared, what,
                            test.eFail(s), 1 + test.margin(), test.ePass(s), 1 / Math.max(test.alpha(), test.beta()));
        };
        Double value = s.canaryExposure() > 0 ? s.canaryEvents() / s.canaryExposure() : null;
        Double compareValue = s.baselineExposure() > 0 ? s.baselineEvents() / s.baselineExposure() : null;
        return new MetricEvidence(check.name(), check.variant(), verdict, value, null, null, s.canaryEvents(),
                s.canaryExposure(), samples, reason, check.compareTo(), compareValue, s.baselineEvents(),
                s.baselineExposure(), finite(test.eFail(s)), test.pValue(s), test.margin());
    }

    private static String rate(Variant variant, double events, double exposure) {
        return exposure > 0
                ? String.format(Locale.ROOT, "%s %.2f%% (%s / %s)", variant.label(), 100 * events / exposure,
                        Judges.count(events), Judges.count(exposure))
                : String.format(Locale.ROOT, "%s - (%s / 0)", variant.label(), Judges.count(events));
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
