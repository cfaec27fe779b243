package io.serin.analyzer.analysis.stats;

import java.util.Arrays;

/**
 * A mergeable latency sketch: counts per logarithmic bucket {@code (γ^(i-1), γ^i]} with γ = 1.02, so
 * any quantile is known to within 2% relative error in a few hundred buckets. Values ≤ 0 fall into
 * the lowest bucket. Immutable; kept as two sorted arrays because a histogram sample adds a dozen
 * buckets at once and the sketch is re-encoded with every sample of its series.
 */
public final class LogHistogram {

    public static final LogHistogram EMPTY = new LogHistogram(new int[0], new double[0]);
    private static final double GAMMA = 1.02;
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int LOWEST = -1200; // 1.02^-1200 ≈ 5e-11

    private final int[] indices;
    private final double[] counts;
    private final double total;

    private LogHistogram(int[] indices, double[] counts) {
        this.indices = indices;
        this.counts = counts;
        double sum = 0;
        for (double c : counts) {
            sum += c;
        }
        this.total = sum;
    }

    /** A sketch read back from storage: bucket indices strictly ascending, one count each. */
    public static LogHistogram of(int[] indices, double[] counts) {
        if (indices.length != counts.length) {
            throw new IllegalArgumentException("indices and counts differ in length");
        }
        for (int i = 1; i < indices.length; i++) {
            if (indices[i] <= indices[i - 1]) {
                throw new IllegalArgumentException("bucket indices must ascend");
            }
        }
        return indices.length == 0 ? EMPTY : new LogHistogram(indices.clone(), counts.clone());
    }

    public static int index(double value) {
        if (!(value > 0)) {
            return LOWEST;
        }
        return Math.max(LOWEST, (int) Math.ceil(Math.log(value) / LOG_GAMMA - 1e-9));
    }

    /** The upper bound of bucket {@code index}. */
    public static double upperBound(int index) {
        return Math.pow(GAMMA, index);
    }

    public LogHistogram add(double value, double count) {
        return addAll(new double[] {value}, new double[] {count});
    }

    /** Adds {@code counts[i]} observations of {@code values[i]}; counts ≤ 0 are ignored. */
    public LogHistogram addAll(double[] values, double[] added) {
        long[] packed = new long[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (added[i] > 0) {
                // sort (bucket, position) pairs at once: the index in the high half, the position in the low
                packed[n++] = ((long) index(values[i]) << 32) | i;
            }
        }
        if (n == 0) {
            return this;
        }
        Arrays.sort(packed, 0, n);
        int[] mergedIndices = new int[indices.length + n];
        double[] mergedCounts = new double[indices.length + n];
        int size = 0;
        int old = 0;
        for (int k = 0; k < n; k++) {
            int bucket = (int) (packed[k] >> 32);
            double count = added[(int) packed[k]];
            while (old < indices.length && indices[old] < bucket) {
                mergedIndices[size] = indices[old];
                mergedCounts[size++] = counts[old++];
            }
            if (size > 0 && mergedIndices[size - 1] == bucket) {
                mergedCounts[size - 1] += count;
            } else if (old < indices.length && indices[old] == bucket) {
                mergedIndices[size] = bucket;
                mergedCounts[size++] = counts[old++] + count;
            } else {
                mergedIndices[size] = bucket;
                mergedCounts[size++] = count;
            }
        }
        while (old < indices.length) {
            mergedIndices[size] = indices[old];
            mergedCounts[size++] = counts[old++];
        }
        return new LogHistogram(Arrays.copyOf(mergedIndices, size), Arrays.copyOf(mergedCounts, size));
    }

    public double total() {
        return total;
    }

    /** How many buckets hold observations. */
    public int size() {
        return indices.length;
    }

    public int indexAt(int position) {
        return indices[position];
    }

    public double countAt(int position) {
        return counts[position];
    }

    /** The upper bound of the bucket holding the q-quantile; null when empty. */
    public Double quantile(double q) {
        if (total <= 0) {
            return null;
        }
        double seen = 0;
        for (int i = 0; i < indices.length; i++) {
            seen += counts[i];
            if (seen >= q * total - 1e-9) {
                return upperBound(indices[i]);
            }
        }
        return upperBound(indices[indices.length - 1]);
    }
}
