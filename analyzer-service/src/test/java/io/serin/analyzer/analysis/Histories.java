package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.Sampling;
import io.serin.events.MetricHistory;
import io.serin.events.Variant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hours of a variant's history as the Prometheus source sends them when an analysis starts (5-second steps). */
public final class Histories {

    /** Istio's default request-duration buckets, in seconds. */
    public static final double[] ISTIO = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 300, 600, 1800, 3600};

    private Histories() {
    }

    /** Errors and requests: 250 requests and 2 or 3 errors per step, steady, for the hour before {@code start}. */
    public static MetricHistory cleanHour(String releaseId, Variant variant, Instant start) {
        List<Double> errors = new ArrayList<>();
        List<Double> requests = new ArrayList<>();
        for (int i = 0; i < 720; i++) {
            errors.add(i % 2 == 0 ? 2.0 : 3.0);
            requests.add(250.0);
        }
        return new MetricHistory(releaseId, variant, start.minusSeconds(3600), Duration.ofSeconds(5),
                List.of(new MetricHistory.Series("errors", errors), new MetricHistory.Series("requests", requests)));
    }

    /**
     * An Istio histogram {@code latency} for the hour before {@code start}: per step a Poisson(250) number of
     * log-normal latencies (median 100 ms, sigma 0.5: p99 320 ms), per bound the cumulative count's increase,
     * and the count's.
     */
    public static MetricHistory istioHour(Sampling draw, String releaseId, Variant variant, Instant start) {
        List<List<Double>> perBound = new ArrayList<>();
        for (int b = 0; b < ISTIO.length; b++) {
            perBound.add(new ArrayList<>());
        }
        List<Double> count = new ArrayList<>();
        for (int step = 0; step < 720; step++) {
            int n = draw.poisson(250);
            long[] per = new long[ISTIO.length];
            for (int i = 0; i < n; i++) {
                double latency = draw.logNormal(0.1, 0.5);
                for (int b = 0; b < ISTIO.length; b++) {
                    if (latency <= ISTIO[b]) {
                        per[b]++;
                        break;
                    }
                }
            }
            long below = 0;
            for (int b = 0; b < ISTIO.length; b++) {
                below += per[b];
                perBound.get(b).add((double) below);
            }
            count.add((double) n);
        }
        List<MetricHistory.Series> series = new ArrayList<>();
        series.add(new MetricHistory.Series("latency", count));
        for (int b = 0; b < ISTIO.length; b++) {
            series.add(new MetricHistory.Series("latency", ISTIO[b], perBound.get(b)));
        }
        return new MetricHistory(releaseId, variant, start.minusSeconds(3600), Duration.ofSeconds(5), series);
    }
}
