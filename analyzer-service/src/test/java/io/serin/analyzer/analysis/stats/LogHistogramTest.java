package io.serin.analyzer.analysis.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogHistogramTest {

    @Test
    void knowsQuantilesToWithinTwoPercent() {
        Sampling draw = new Sampling(11);
        LogHistogram h = LogHistogram.EMPTY;
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = draw.logNormal(0.1, 0.5);
            h = h.add(values[i], 1);
        }
        java.util.Arrays.sort(values);
        assertThat(h.total()).isEqualTo(20_000);
        assertThat(h.quantile(0.99)).isCloseTo(values[19_799], within(0.021 * values[19_799]));
        assertThat(h.quantile(0.5)).isCloseTo(values[9_999], within(0.021 * values[9_999]));
    }

    @Test
    void putsAValueAtOrBelowTheUpperBoundOfItsBucket() {
        int i = LogHistogram.index(0.32);
        assertThat(LogHistogram.upperBound(i)).isGreaterThanOrEqualTo(0.32).isLessThan(0.32 * 1.02);
        assertThat(LogHistogram.index(LogHistogram.upperBound(i))).isEqualTo(i);
        assertThat(LogHistogram.EMPTY.quantile(0.5)).isNull();
        assertThat(LogHistogram.EMPTY.add(0, 3).quantile(0.5)).isPositive();
    }
}
