package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;

import java.util.Arrays;

/**
 * What one analysis holds of one series (variant and metric): the window's totals, the latest event
 * time seen, the latency sketch (for series a latency check reads) and the sums of the event-time
 * buckets not yet folded into the checks.
 *
 * <p>A bucket's sums are {@code width} numbers: the sum of the values, the sample count, then per
 * sequential latency check reading this series the observations and those above its threshold
 * (see {@link SeriesLayout}). Immutable: adding returns a new state.
 */
public final class SeriesState {

    /** {@link #seen()} of a series without samples. */
    public static final long NEVER = Long.MIN_VALUE;
    public static final SeriesState EMPTY = new SeriesState(0, 0, NEVER, LogHistogram.EMPTY, new long[0], 0,
            new double[0]);

    private final double sum;
    private final long samples;
    private final long seen;
    private final LogHistogram sketch;
    private final long[] buckets;
    private final int width;
    private final double[] sums;

    private SeriesState(double sum, long samples, long seen, LogHistogram sketch, long[] buckets, int width,
            double[] sums) {
        this.sum = sum;
        this.samples = samples;
        this.seen = seen;
        this.sketch = sketch;
        this.buckets = buckets;
        this.width = width;
        this.sums = sums;
    }

    /** A state read back from storage; {@code sums} holds {@code width} numbers per bucket, buckets ascending. */
    public static SeriesState of(double sum, long samples, long seen, LogHistogram sketch, long[] buckets, int width,
            double[] sums) {
        if (sums.length != buckets.length * width) {
            throw new IllegalArgumentException("expected " + buckets.length * width + " bucket sums, got "
                    + sums.length);
        }
        return new SeriesState(sum, samples, seen, sketch, buckets.clone(), width, sums.clone());
    }

    /** Counts a sample in the window's totals and in the latest event time seen. */
    SeriesState withSample(double value, long time, LogHistogram nextSketch) {
        return new SeriesState(sum + value, samples + 1, Math.max(seen, time), nextSketch, buckets, width, sums);
    }

    /**
     * Adds {@code added} to the sums of {@code bucket} and drops the buckets up to {@code folded}, which
     * the checks have seen.
     */
    SeriesState inBucket(long bucket, double[] added, long folded) {
        int keep = 0;
        while (keep < buckets.length && buckets[keep] <= folded) {
            keep++;
        }
        int open = buckets.length - keep;
        if (open > 0 && width != added.length) {
            throw new IllegalStateException("bucket width " + width + " changed to " + added.length);
        }
        int at = Arrays.binarySearch(buckets, keep, buckets.length, bucket);
        long[] nextBuckets;
        double[] nextSums;
        int row;
        if (at >= 0) {
            nextBuckets = Arrays.copyOfRange(buckets, keep, buckets.length);
            nextSums = Arrays.copyOfRange(sums, keep * width, sums.length);
            row = at - keep;
        } else {
            row = -at - 1 - keep;
            nextBuckets = new long[open + 1];
            nextSums = new double[(open + 1) * added.length];
            System.arraycopy(buckets, keep, nextBuckets, 0, row);
            System.arraycopy(buckets, keep + row, nextBuckets, row + 1, open - row);
            nextBuckets[row] = bucket;
            System.arraycopy(sums, keep * width, nextSums, 0, row * width);
            System.arraycopy(sums, (keep + row) * width, nextSums, (row + 1) * width, (open - row) * width);
        }
        for (int i = 0; i < added.length; i++) {
            nextSums[row * added.length + i] += added[i];
        }
        return new SeriesState(sum, samples, seen, sketch, nextBuckets, added.length, nextSums);
    }

    public Series totals() {
        return new Series(sum, samples);
    }

    public double sum() {
        return sum;
    }

    public long samples() {
        return samples;
    }

    /** The latest event time (epoch millis) of a sample, {@link #NEVER} before the first. */
    public long seen() {
        return seen;
    }

    public LogHistogram sketch() {
        return sketch;
    }

    /** Indices of the buckets held, ascending; some may already be folded. */
    public long[] buckets() {
        return buckets.clone();
    }

    /** How many buckets {@link #buckets()} holds. */
    public int bucketCount() {
        return buckets.length;
    }

    /** The index of the {@code position}th bucket held, without copying {@link #buckets()}. */
    public long bucketAt(int position) {
        return buckets[position];
    }

    public int width() {
        return width;
    }

    /** The bucket sums, {@link #width()} per bucket in the order of {@link #buckets()}. */
    public double[] sums() {
        return sums.clone();
    }

    /** The {@code position}th of {@link #sums()}, without copying them. */
    public double sumAt(int position) {
        return sums[position];
    }

    /** The first bucket after {@code folded}, or {@link Long#MAX_VALUE} if none. */
    long firstAfter(long folded) {
        for (long b : buckets) {
            if (b > folded) {
                return b;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Sum number {@code column} of {@code bucket}; 0 when the series had no sample in it. */
    double sum(long bucket, int column) {
        int at = Arrays.binarySearch(buckets, bucket);
        return at < 0 || column >= width ? 0 : sums[at * width + column];
    }
}
