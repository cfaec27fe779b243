package io.serin.analyzer.analysis.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestableThresholdTest {

    /** Istio's default request-duration buckets, in seconds. */
    static final double[] ISTIO = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
            300, 600, 1800, 3600};

    /** A sketch of {@code n} log-normal latencies as an Istio histogram would hold them: at their bucket bound. */
    static LogHistogram istio(Sampling draw, int n, double median, double sigma) {
        double[] values = new double[ISTIO.length + 1];
        double[] counts = new double[ISTIO.length + 1];
        System.arraycopy(ISTIO, 0, values, 0, ISTIO.length);
        values[ISTIO.length] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double latency = draw.logNormal(median, sigma);
            int bucket = 0;
            while (bucket < ISTIO.length && latency > ISTIO[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        return LogHistogram.EMPTY.addAll(values, counts);
    }

    @Test
    void takesTheIstioBoundBelowTheP99WhenTheOneAboveHasAlmostNothingAboveIt() {
        // median 100 ms, sigma 0.5: p99 = 320 ms in (250, 500]; above 250 ms 3.3%, above 500 ms 0.06%
        LogHistogram sketch = istio(new Sampling(7), 1_000, 0.1, 0.5);
        assertThat(sketch.quantile(0.99)).isBetween(0.5, 0.51);

        int chosen = TestableThreshold.choose(sketch, 0.99);

        assertThat(LogHistogram.roundest(chosen)).isEqualTo(0.25);
        assertThat(TestableThreshold.shareAbove(sketch, chosen)).isBetween(0.02, 0.05);
        assertThat(TestableThreshold.shareAbove(sketch, LogHistogram.index(0.5))).isLessThan(0.004);
    }

    @Test
    void keepsTheQuantilesBoundWhenItsShareIsTheCloser() {
        // median 60 ms, sigma 0.9: p99 = 490 ms in (250, 500]; above 500 ms 0.92%, above 250 ms 5.7%
        LogHistogram sketch = istio(new Sampling(3), 20_000, 0.06, 0.9);
        int chosen = TestableThreshold.choose(sketch, 0.99);
        assertThat(LogHistogram.roundest(chosen)).isEqualTo(0.5);
        assertThat(chosen).isEqualTo(LogHistogram.index(sketch.quantile(0.99)));
        assertThat(TestableThreshold.shareAbove(sketch, chosen)).isCloseTo(0.0092, within(0.002));
    }

    @Test
    void staysWithinTheSketchsResolutionOfTheQuantileForRawObservations() {
        Sampling draw = new Sampling(11);
        double[] values = new double[20_000];
        LogHistogram sketch = LogHistogram.EMPTY;
        for (int i = 0; i < values.length; i++) {
            values[i] = draw.logNormal(0.1, 0.5);
            sketch = sketch.add(values[i], 1);
        }
        Arrays.sort(values);
        double p99 = values[19_799];

        int chosen = TestableThreshold.choose(sketch, 0.99);

        assertThat(LogHistogram.upperBound(chosen)).isCloseTo(p99, within(0.041 * p99));
        assertThat(LogHistogram.roundest(chosen)).isCloseTo(p99, within(0.041 * p99));
        assertThat(TestableThreshold.shareAbove(sketch, chosen)).isCloseTo(0.01, within(0.002));
    }

    @Test
    void takesTheOnlyOccupiedBound() {
        LogHistogram sketch = LogHistogram.EMPTY.add(0.001, 1_000);
        assertThat(TestableThreshold.choose(sketch, 0.99)).isEqualTo(LogHistogram.index(0.001));
        assertThat(TestableThreshold.shareAbove(sketch, LogHistogram.index(0.001))).isZero();
    }

    @Test
    void takesTheLowestBoundForAQuantileBelowIt() {
        // 5% at or below 1 ms, the rest at or below 100 ms: the 1st percentile lies below the lowest bound
        LogHistogram sketch = LogHistogram.EMPTY.addAll(new double[] {0.001, 0.1}, new double[] {50, 950});
        assertThat(TestableThreshold.choose(sketch, 0.01)).isEqualTo(LogHistogram.index(0.001));
    }

    @Test
    void leavesABoundWithNothingAboveItForTheNextLower() {
        // p99 at the highest occupied bound, nothing above it: a threshold no healthy canary could pass
        LogHistogram sketch = LogHistogram.EMPTY.addAll(new double[] {0.1, 0.25, 0.5}, new double[] {900, 80, 20});
        assertThat(LogHistogram.roundest(TestableThreshold.choose(sketch, 0.99))).isEqualTo(0.25);
    }

    @Test
    void refusesAnEmptySketch() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestableThreshold.choose(LogHistogram.EMPTY, 0.99))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRoundestValueOfAnIstioBoundsBucketIsTheBound() {
        for (double le : ISTIO) {
            assertThat(LogHistogram.roundest(LogHistogram.index(le))).isEqualTo(le);
        }
        assertThat(LogHistogram.roundest(LogHistogram.index(0.32))).isEqualTo(0.32);
        int i = LogHistogram.index(0.3245);
        assertThat(LogHistogram.roundest(i)).isGreaterThan(LogHistogram.upperBound(i - 1))
                .isLessThanOrEqualTo(LogHistogram.upperBound(i));
        assertThat(LogHistogram.roundest(LogHistogram.index(Double.POSITIVE_INFINITY))).isInfinite();
    }
}
