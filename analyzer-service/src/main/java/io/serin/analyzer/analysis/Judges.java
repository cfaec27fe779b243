package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Variant;
import io.serin.events.Verdict;


/** The one place that dispatches on the judge of a check. */
final class Judges {

    private Judges() {
    }

    /** Fills in the defaults: the canary is measured, comparing judges compare with stable. */
    static MetricCheck withDefaults(MetricCheck m) {
        Variant variant = m.variant() == null ? Variant.CANARY : m.variant();
        Variant compareTo = m.compareTo() != null ? m.compareTo() : compares(m.judge()) ? Variant.STABLE : null;
        return new MetricCheck(m.name(), variant, m.measure(), m.judge(), m.minCount(), compareTo);
    }

    static boolean compares(Judge judge) {
        return judge instanceof Judge.Sequential || judge instanceof Judge.Comparison
                || judge instanceof Judge.MannWhitney;
    }

    /** A check that cannot run is decided ERROR from the start, with the reason. */
    static CheckState start(MetricCheck check) {
        String problem = problem(check);
        if (problem != null) {
            return CheckState.EMPTY.decide(new MetricEvidence(check.name(), check.variant(), Verdict.ERROR, null, null,
                    null, null, null, 0, check.name() + ": " + problem));
        }
        if (check.judge() instanceof Judge.Sequential sequential) {
            return CheckState.EMPTY.withTest(SequentialJudge.test(check, sequential).start());
        }
        return CheckState.EMPTY;
    }

    private static String problem(MetricCheck check) {
        if (check.measure() == null || check.judge() == null) {
            return "needs a measure and a judge";
        }
        int names = check.measure() instanceof Measure.Ratio ? 2 : 1;
        if (SeriesLayout.metricsOf(check.measure()).size() < names) {
            return "the measure needs its metric names";
        }
        if (check.measure() instanceof Measure.Latency latency && !(Measured.quantile(latency) > 0
                && Measured.quantile(latency) < 1)) {
            return "quantile must lie in (0, 1), got " + latency.quantile();
        }
        if (compares(check.judge()) && check.compareTo() == check.variant()) {
            return "compares " + check.variant().label() + " with itself";
        }
        Judge judge = check.judge();
        if (judge instanceof Judge.Sequential sequential) {
            if (check.measure() instanceof Measure.Mean) {
                return "a sequential judge tests event rates: use a ratio or latency measure";
            }
            try {
                SequentialJudge.test(check, sequential);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        } else if (judge instanceof Judge.MannWhitney mw) {
            if (check.measure() instanceof Measure.Latency) {
                return "a Mann-Whitney judge compares per-interval values: use a ratio or mean measure";
            }
            if (mw.confidence() != null && !(mw.confidence() > 0 && mw.confidence() < 1)) {
                return "confidence must lie in (0, 1), got " + mw.confidence();
            }
        } else if (judge instanceof Judge.Comparison comparison) {
            if (comparison.allowedChange() != null && comparison.allowedChange() < 0) {
                return "allowedChange must not be negative, got " + comparison.allowedChange();
            }
        } else if (!(judge instanceof Judge.Threshold)) {
            throw new IllegalStateException("unhandled judge " + judge.getClass());
        }
        return null;
    }

    /** Folds one closed event-time bucket into a check that is still open. */
    static CheckState onBucket(MetricCheck check, int index, CheckState state, Bucket sums, AnalysisState analysis) {
        if (state.decided() != null) {
            return state;
        }
        Judge judge = check.judge();
        if (judge instanceof Judge.Sequential sequential) {
            return SequentialJudge.onBucket(check, index, sequential, state, sums, analysis);
        }
        if (judge instanceof Judge.MannWhitney) {
            return MannWhitneyJudge.onBucket(check, state, sums);
        }
        if (judge instanceof Judge.Comparison comparison) {
            if (Boolean.TRUE.equals(comparison.critical())) {
                MetricEvidence now = ComparisonJudge.judge(check, comparison, analysis);
                return now.verdict() == Verdict.FAILED ? state.decide(now) : state;
            }
            return state;
        }
        if (judge instanceof Judge.Threshold) {
            return state;
        }
        throw new IllegalStateException("unhandled judge " + judge.getClass());
    }

    /** The check's evidence when the window has ended (or its decision, if it was decided before). */
    static MetricEvidence evidence(MetricCheck check, CheckState state, AnalysisState analysis) {
        if (state.decided() != null) {
            return state.decided();
        }
        Judge judge = check.judge();
        if (judge instanceof Judge.Threshold threshold) {
            return ThresholdJudge.judge(check, threshold, Measured.of(check, analysis));
        }
        if (judge instanceof Judge.Sequential sequential) {
            return SequentialJudge.evidence(check, sequential, state, analysis);
        }
        if (judge instanceof Judge.Comparison comparison) {
            return ComparisonJudge.judge(check, comparison, analysis);
        }
        if (judge instanceof Judge.MannWhitney mw) {
            return MannWhitneyJudge.judge(check, mw, state, analysis);
        }
        throw new IllegalStateException("unhandled judge " + judge.getClass());
    }

    static String count(double count) {
        return count == Math.rint(count) ? String.valueOf((long) count) : String.valueOf(count);
    }
}
