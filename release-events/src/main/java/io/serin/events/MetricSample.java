package io.serin.events;

import java.time.Instant;
import java.util.List;

/**
 * One observation of one metric of one variant of a release. Counters ({@code requests},
 * {@code errors}) carry the count of events since the previous sample of the same series, not a
 * running total, so samples can be summed over any window and a restarted publisher loses nothing.
 * Gauges ({@code cpu}) carry the current value. Latency is either one observation per sample (value
 * in seconds) or a histogram: {@code buckets} with the counts since the previous sample and
 * {@code value} their total.
 *
 * @param time    event time of the observation (end of the interval it counts)
 * @param buckets for a histogram: cumulative counts per upper bound, absent otherwise
 */
public record MetricSample(String releaseId, Variant variant, String metric, double value, Instant time,
        List<HistogramBucket> buckets) implements SampleMessage {

    /** A counter delta, a gauge value or one latency observation. */
    public MetricSample(String releaseId, Variant variant, String metric, double value, Instant time) {
        this(releaseId, variant, metric, value, time, null);
    }
}
