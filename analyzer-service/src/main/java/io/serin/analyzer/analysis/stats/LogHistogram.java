package io.serin.analyzer.analysis.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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
        int position = quantilePosition(q);
        return position < 0 ? null : upperBound(indices[position]);
    }

    /** The position of the occupied bucket holding the q-quantile; -1 when empty. */
    public int quantilePosition(double q) {
        if (total <= 0) {
            return -1;
        }
        double seen = 0;
        for (int i = 0; i < indices.length; i++) {
            seen += counts[i];
            if (seen >= q * total - 1e-9) {
                return i;
            }
        }
        return indices.length - 1;
    }

    /** How many observations lie above the bucket at {@code position}, i.e. above its upper bound. */
    public double above(int position) {
        double sum = 0;
        for (int i = position + 1; i < counts.length; i++) {
            sum += counts[i];
        }
        return Math.max(0, sum);
    }

    /**
     * The decimal with the fewest significant digits in bucket {@code index} (the largest of those):
     * the bound a histogram's {@code le} most likely had when it fell into the bucket (0.25 rather than
     * the bucket's upper bound 0.2524...), and a value within the sketch's 2% for raw observations.
     */
    public static double roundest(int index) {
        double hi = upperBound(index);
        if (!Double.isFinite(hi) || index <= LOWEST) {
            return hi;
        }
        double lo = upperBound(index - 1);
        BigDecimal upper = new BigDecimal(hi);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = upper.round(new MathContext(digits, RoundingMode.FLOOR));
            double value = candidate.doubleValue();
            if (value > lo && value <= hi && index(value) == index) {
                return value;
            }
        }
        return hi;
    }
}
