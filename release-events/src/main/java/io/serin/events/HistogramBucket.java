package io.serin.events;

/**
 * One bucket of a latency histogram sample, as Prometheus writes them: how many observations since
 * the previous sample were at most {@code le} seconds (cumulative over buckets, a delta over time).
 */
public record HistogramBucket(double le, double count) {
}
