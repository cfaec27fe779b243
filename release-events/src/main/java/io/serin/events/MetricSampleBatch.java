package io.serin.events;

import java.time.Instant;
import java.util.List;

/**
 * Many observations of one release in one message: what a publisher measured for the release at
 * one time, every variant and metric at once. Each entry means exactly what a {@link MetricSample}
 * with the same fields means (counters as deltas, gauges as values, latency as one observation or a
 * histogram); an entry without a time has the batch's. A batch is taken whole or not at all: one
 * entry the analyzer cannot read dead-letters the batch, with the entry named.
 *
 * <p>It exists for publishers with many series: one record instead of one per series costs the
 * broker and the analyzer a fraction of the per-record work, which is most of the work for a sample.
 *
 * @param time    event time of the entries that carry none: the end of the interval they count
 * @param samples the observations, in any order; a series appears at most once per time
 */
public record MetricSampleBatch(String releaseId, Instant time, List<Entry> samples) implements SampleMessage {

    /**
     * One observation in a batch.
     *
     * @param time    event time, when it differs from the batch's (optional)
     * @param buckets for a histogram: cumulative counts per upper bound, absent otherwise
     */
    public record Entry(Variant variant, String metric, double value, Instant time, List<HistogramBucket> buckets) {

        /** A counter delta, a gauge value or one latency observation at the batch's time. */
        public Entry(Variant variant, String metric, double value) {
            this(variant, metric, value, null, null);
        }
    }

    /** Entry {@code index} as the single sample it stands for. */
    public MetricSample sample(int index) {
        Entry e = samples.get(index);
        return new MetricSample(releaseId, e.variant(), e.metric(), e.value(), e.time() != null ? e.time() : time,
                e.buckets());
    }
}
