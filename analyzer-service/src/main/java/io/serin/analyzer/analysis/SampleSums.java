package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.events.HistogramBucket;
import io.serin.events.MetricSample;

import java.util.ArrayList;
import java.util.List;

/** What one sample adds to its series: observations to the latency sketch, sums to its event-time bucket. */
final class SampleSums {

    private SampleSums() {
    }

    static LogHistogram observe(LogHistogram sketch, MetricSample sample) {
        if (sample.buckets() == null || sample.buckets().isEmpty()) {
            return sketch.add(sample.value(), 1);
        }
        List<HistogramBucket> sorted = sortedBuckets(sample);
        double[] values = new double[sorted.size() + 1];
        double[] counts = new double[sorted.size() + 1];
        double below = 0;
        for (int i = 0; i < sorted.size(); i++) {
            HistogramBucket b = sorted.get(i);
            values[i] = b.le();
            counts[i] = b.count() - below;
            below = Math.max(below, b.count());
        }
        values[sorted.size()] = Double.POSITIVE_INFINITY;
        counts[sorted.size()] = sample.value() - below;
        return sketch.addAll(values, counts);
    }

    /**
     * The exact threshold of sketch bucket {@code index}, a bound at which every sample's exceedances
     * can be counted: the {@code le} of {@code sample} (a histogram sample of the compared variant at
     * hand when the threshold is fixed) that fell into that bucket, the very double that
     * {@link #bucketSums} compares later ones with; for a raw observation, as raw values split
     * anywhere, the bucket's roundest value; else (no such bound, no sample at hand) the bucket's
     * upper bound, at or above any {@code le} or value in it.
     *
     * @param sample the compared variant's sample that completed the warm-up, or null
     */
    static double threshold(int index, MetricSample sample) {
        if (sample == null) {
            return LogHistogram.upperBound(index);
        }
        if (sample.buckets() == null || sample.buckets().isEmpty()) {
            return LogHistogram.roundest(index);
        }
        for (HistogramBucket b : sample.buckets()) {
            if (LogHistogram.index(b.le()) == index) {
                return b.le();
            }
        }
        return LogHistogram.upperBound(index);
    }

    /**
     * What a sample adds to its bucket: its value, one sample, and per sequential latency check reading
     * the series with a fixed threshold, the observations and those above the threshold.
     */
    static double[] bucketSums(SeriesLayout layout, int slot, AnalysisHead head, MetricSample sample) {
        int[] counting = layout.exceedChecks(slot);
        double[] sums = new double[layout.width(slot)];
        sums[0] = sample.value();
        sums[1] = 1;
        for (int k = 0; k < counting.length; k++) {
            Double threshold = head.checks().get(counting[k]).threshold();
            if (threshold == null) {
                continue;
            }
            double n;
            double above;
            if (sample.buckets() == null || sample.buckets().isEmpty()) {
                n = 1;
                above = sample.value() > threshold ? 1 : 0;
            } else {
                // the threshold is one of the bounds (the same double), so "at or below" is exact
                double atOrBelow = 0;
                for (HistogramBucket b : sample.buckets()) {
                    if (b.le() <= threshold) {
                        atOrBelow = Math.max(atOrBelow, b.count());
                    }
                }
                n = sample.value();
                above = Math.max(0, n - atOrBelow);
            }
            sums[2 + 2 * k] = n;
            sums[3 + 2 * k] = above;
        }
        return sums;
    }

    /** Publishers write buckets in ascending order; sorting a copy is needed only when one did not. */
    private static List<HistogramBucket> sortedBuckets(MetricSample sample) {
        List<HistogramBucket> buckets = sample.buckets();
        for (int i = 1; i < buckets.size(); i++) {
            if (Double.compare(buckets.get(i - 1).le(), buckets.get(i).le()) > 0) {
                List<HistogramBucket> sorted = new ArrayList<>(buckets);
                sorted.sort((a, b) -> Double.compare(a.le(), b.le()));
                return sorted;
            }
        }
        return buckets;
    }
}
