package io.serin.analyzer.analysis;

import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.util.Locale;

/**
 * What a measure produced from the window's samples of one variant.
 *
 * @param count how many observations the value rests on (for a ratio: the denominator)
 */
record Measured(Double value, Double numerator, Double denominator, double count, long samples) {

    static Measured of(MetricCheck check, AnalysisState state) {
        return of(check, check.variant(), state);
    }

    static Measured of(MetricCheck check, Variant variant, AnalysisState state) {
        Measure measure = check.measure();
        if (measure instanceof Measure.Ratio ratio) {
            Series num = state.series(variant, ratio.numerator());
            Series den = state.series(variant, ratio.denominator());
            Double value = den.sum() > 0 ? num.sum() / den.sum() : null;
            return new Measured(value, num.sum(), den.sum(), den.sum(), den.samples());
        }
        if (measure instanceof Measure.Mean mean) {
            Series s = state.series(variant, mean.metric());
            return new Measured(s.samples() > 0 ? s.sum() / s.samples() : null, null, null, s.samples(), s.samples());
        }
        if (measure instanceof Measure.Latency latency) {
            var sketch = state.sketch(variant, latency.metric());
            return new Measured(sketch.quantile(quantile(latency)), null, null, sketch.total(),
                    state.series(variant, latency.metric()).samples());
        }
        throw new IllegalStateException("unhandled measure " + measure.getClass());
    }

    static double quantile(Measure.Latency latency) {
        return latency.quantile() == null ? 0.99 : latency.quantile();
    }

    String describe() {
        if (numerator == null) {
            return String.format(Locale.ROOT, "%s observations over %d samples", Judges.count(count), samples);
        }
        return String.format(Locale.ROOT, "%.0f / %.0f over %d samples", numerator, denominator, samples);
    }
}
