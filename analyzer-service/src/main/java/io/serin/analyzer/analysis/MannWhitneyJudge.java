package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.MannWhitney;
import io.serin.events.Direction;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Variant;
import io.serin.events.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kayenta-style: the per-bucket values of the variant against the compared variant's, one
 * Mann-Whitney U test when the window ends. Fixed-horizon: valid for that one look only.
 */
final class MannWhitneyJudge {

    static final int MIN_VALUES = 3;

    private MannWhitneyJudge() {
    }

    static CheckState onBucket(MetricCheck check, CheckState state, Bucket sums) {
        Double c = value(check, check.variant(), sums);
        Double b = value(check, check.compareTo(), sums);
        List<Double> values = new ArrayList<>(state.values());
        List<Double> compareValues = new ArrayList<>(state.compareValues());
        if (c != null) {
            values.add(c);
        }
        if (b != null) {
            compareValues.add(b);
        }
        return state.withValues(List.copyOf(values), List.copyOf(compareValues));
    }

    private static Double value(MetricCheck check, Variant variant, Bucket sums) {
        if (check.measure() instanceof Measure.Ratio ratio) {
            double den = sums.sum(variant, ratio.denominator());
            return den > 0 ? sums.sum(variant, ratio.numerator()) / den : null;
        }
        if (check.measure() instanceof Measure.Mean mean) {
            double n = sums.samples(variant, mean.metric());
            return n > 0 ? sums.sum(variant, mean.metric()) / n : null;
        }
        throw new IllegalStateException("unhandled measure " + check.measure().getClass());
    }

    static MetricEvidence judge(MetricCheck check, Judge.MannWhitney judge, CheckState state, AnalysisState analysis) {
        Measured c = Measured.of(check, check.variant(), analysis);
        Measured b = Measured.of(check, check.compareTo(), analysis);
        int n1 = state.values().size();
        int n2 = state.compareValues().size();
        if (n1 < MIN_VALUES || n2 < MIN_VALUES) {
            return evidence(check, c, b, null, null, Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%s: too little data (%d %s and %d %s intervals with traffic, need %d each)", check.name(), n1,
                    check.variant().label(), n2, check.compareTo().label(), MIN_VALUES));
        }
        MannWhitney.Result r = MannWhitney.test(state.values().stream().mapToDouble(Double::doubleValue).toArray(),
                state.compareValues().stream().mapToDouble(Double::doubleValue).toArray());
        double confidence = judge.confidence() == null ? 0.98 : judge.confidence();
        Direction direction = judge.direction() == null ? Direction.INCREASE : judge.direction();
        boolean differs = r.pTwoSided() < 1 - confidence;
        boolean bad = differs && switch (direction) {
            case INCREASE -> r.z() > 0;
            case DECREASE -> r.z() < 0;
            case EITHER -> true;
        };
        String reason = String.format(Locale.ROOT, "%s: %s %s vs %s %s over %d / %d intervals: Mann-Whitney z %.2f, "
                + "p %.4f %s %.4f", check.name(), check.variant().label(), fmt(c.value()), check.compareTo().label(),
                fmt(b.value()), n1, n2, r.z(), r.pTwoSided(), differs ? "<" : ">=", 1 - confidence);
        return evidence(check, c, b, r.z(), r.pTwoSided(), bad ? Verdict.FAILED : Verdict.SUCCESSFUL, reason);
    }

    private static String fmt(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static MetricEvidence evidence(MetricCheck check, Measured c, Measured b, Double z, Double p,
            Verdict verdict, String reason) {
        return new MetricEvidence(check.name(), check.variant(), verdict, c.value(), null, null, c.numerator(),
                c.denominator(), c.samples(), reason, check.compareTo(), b.value(), b.numerator(), b.denominator(), z,
                p, null);
    }
}
