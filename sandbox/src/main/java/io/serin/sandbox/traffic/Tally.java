package io.serin.sandbox.traffic;

import io.serin.events.HistogramBucket;

import java.util.ArrayList;
import java.util.List;

/**
 * What one variant served in one tick: whole requests and errors, and its requests' latencies as
 * counts per histogram bucket ({@link LatencyModel#BOUNDS}, then above the last), which add up to
 * {@link #observations()}, within a few of {@code requests} (each bucket carries its own fraction);
 * {@code latencySeconds} is the requests' expected total time.
 */
public record Tally(long requests, long errors, long[] buckets, double latencySeconds) {

    /** Cumulative counts per upper bound, as Prometheus and {@link HistogramBucket} write them. */
    public List<HistogramBucket> cumulativeBuckets() {
        List<HistogramBucket> cumulative = new ArrayList<>(LatencyModel.BOUNDS.length);
        long below = 0;
        for (int i = 0; i < LatencyModel.BOUNDS.length; i++) {
            below += buckets[i];
            cumulative.add(new HistogramBucket(LatencyModel.BOUNDS[i], below));
        }
        return cumulative;
    }

    /** How many latencies the histogram holds. */
    public long observations() {
        long n = 0;
        for (long b : buckets) {
            n += b;
        }
        return n;
    }
}
