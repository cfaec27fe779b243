package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.events.MetricEvidence;

import java.util.List;

/**
 * What one check has learnt so far.
 *
 * @param test           a sequential judge's running test, else null
 * @param threshold      a sequential latency judge, once fixed: the bound (seconds) near the compared variant's
 *                       quantile above which observations are counted, a histogram's exact {@code le}
 *                       (see {@link io.serin.analyzer.analysis.stats.TestableThreshold})
 * @param values         a Mann-Whitney judge: the variant's value per folded bucket
 * @param compareValues  a Mann-Whitney judge: the compared variant's value per folded bucket
 * @param decided        the check's final evidence once decided (early or invalid), else null
 */
public record CheckState(RateTestState test, Double threshold, List<Double> values, List<Double> compareValues,
        MetricEvidence decided) {

    static final CheckState EMPTY = new CheckState(null, null, List.of(), List.of(), null);

    CheckState withTest(RateTestState next) {
        return new CheckState(next, threshold, values, compareValues, decided);
    }

    CheckState withThreshold(Double next) {
        return new CheckState(test, next, values, compareValues, decided);
    }

    CheckState withValues(List<Double> nextValues, List<Double> nextCompareValues) {
        return new CheckState(test, threshold, nextValues, nextCompareValues, decided);
    }

    CheckState decide(MetricEvidence evidence) {
        return new CheckState(test, threshold, values, compareValues, evidence);
    }
}
