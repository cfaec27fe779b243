package io.serin.sandbox.traffic;

import io.serin.events.HistogramBucket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeterTest {

    private static final Behaviour HEALTHY = Behaviour.of("registry.example.com/pay:v2");

    @Test
    void carriesFractionsSoNoRequestIsLostToRounding() {
        Meter meter = new Meter();
        List<Long> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(meter.add(2.5, HEALTHY).requests());
        }
        assertThat(requests).containsExactly(2L, 3L, 2L, 3L);
    }

    @Test
    void failsTheImagesShareOfWholeRequestsAndNeverMoreThanATickServed() {
        Meter healthy = new Meter();
        Meter faulty = new Meter();
        long requests = 0;
        long healthyErrors = 0;
        long faultyErrors = 0;
        for (int i = 0; i < 1000; i++) {
            Tally t = faulty.add(2.5, Behaviour.of("pay:v2-errors"));
            assertThat(t.errors()).isLessThanOrEqualTo(t.requests());
            requests += t.requests();
            faultyErrors += t.errors();
            healthyErrors += healthy.add(2.5, HEALTHY).errors();
        }
        assertThat(requests).isEqualTo(2500);
        // 1% and 5% of 2500, give or take the last fraction carried in binary arithmetic
        assertThat(healthyErrors).isBetween(24L, 25L);
        assertThat(faultyErrors).isBetween(124L, 125L);
    }

    @Test
    void countsEachRequestsLatencyOnceItsBucketIsDue() {
        Meter meter = new Meter();
        long requests = 0;
        long observations = 0;
        for (int i = 0; i < 100; i++) {
            Tally t = meter.add(12.5, HEALTHY);
            requests += t.requests();
            observations += t.observations();
            List<HistogramBucket> cumulative = t.cumulativeBuckets();
            for (int b = 1; b < cumulative.size(); b++) {
                assertThat(cumulative.get(b).count()).isGreaterThanOrEqualTo(cumulative.get(b - 1).count());
            }
        }
        assertThat(observations).isBetween(requests - LatencyModel.BOUNDS.length, requests);
    }

    @Test
    void aRareSlowAnswerDoesNotComeEarly() {
        Meter meter = new Meter();
        long above = 0;
        // 100 requests, of which a healthy version answers 0.22% above 400 ms: none is due yet
        for (int i = 0; i < 80; i++) {
            Tally t = meter.add(1.25, HEALTHY);
            above += t.observations() - t.cumulativeBuckets().get(10).count();
        }
        assertThat(LatencyModel.BOUNDS[10]).isEqualTo(0.4);
        assertThat(above).isZero();
    }

    @Test
    void aSlowImageHasItsP99AboveTheUsual400msCeiling() {
        assertThat(quantile(1.0, 0.5)).isCloseTo(0.120, within(0.001));
        assertThat(quantile(1.0, 0.99)).isCloseTo(0.320, within(0.001));
        assertThat(quantile(Behaviour.of("pay:v2-slow").latencyFactor(), 0.99)).isCloseTo(0.416, within(0.001));
        assertThat(LatencyModel.cdf(0.35, 1.0)).isGreaterThan(0.99);
        assertThat(LatencyModel.cdf(0.4, 1.3)).isLessThan(0.99);
    }

    @Test
    void toldByTheImageTag() {
        assertThat(Behaviour.of("registry.example.com:5000/pay:v2")).isEqualTo(new Behaviour(0.01, 1.0));
        assertThat(Behaviour.of("registry.example.com/pay:v2-errors")).isEqualTo(new Behaviour(0.05, 1.0));
        assertThat(Behaviour.of("registry.example.com/pay:v2-slow")).isEqualTo(new Behaviour(0.01, 1.3));
        assertThat(Behaviour.of("registry.example.com/pay-errors")).isEqualTo(new Behaviour(0.01, 1.0));
    }

    private static double quantile(double factor, double q) {
        double lo = 0.001;
        double hi = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (LatencyModel.cdf(mid, factor) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
