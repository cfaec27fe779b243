package io.serin.analyzer.analysis;

import io.serin.events.Measure;
import io.serin.events.MetricCheck;

import java.util.Locale;

/**
 * What a measure produced from the window's samples.
 *
 * @param count how many observations the value rests on (for a ratio: the denominator)
 */
record Measured(Double value, Double numerator, Double denominator, double count, long samples) {

    static Measured of(MetricCheck check, AnalysisState state) {
        if (check.measure() instanceof Measure.Ratio ratio) {
            Series num = state.series(check.variant(), ratio.numerator());
            Series den = state.series(check.variant(), ratio.denominator());
            Double value = den.sum() > 0 ? num.sum() / den.sum() : null;
            return new Measured(value, num.sum(), den.sum(), den.sum(), den.samples());
        }
        throw new IllegalStateException("unhandled measure " + check.measure().getClass());
    }

    String describe() {
        return String.format(Locale.ROOT, "%.0f / %.0f over %d samples", numerator, denominator, samples);
    }
}
