package io.serin.analyzer.analysis.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable latency sketch: counts per logarithmic bucket {@code (γ^(i-1), γ^i]} with γ = 1.02, so
 * any quantile is known to within 2% relative error in a few hundred buckets. Values ≤ 0 fall into
 * the lowest bucket.
 *
 * @param counts observation count per bucket index
 */
public record LogHistogram(Map<Integer, Double> counts) {

    public static final LogHistogram EMPTY = new LogHistogram(Map.of());
    private static final double GAMMA = 1.02;
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int LOWEST = -1200; // 1.02^-1200 ≈ 5e-11

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
        if (count <= 0) {
            return this;
        }
        TreeMap<Integer, Double> next = new TreeMap<>(counts);
        next.merge(index(value), count, Double::sum);
        return new LogHistogram(next);
    }

    public double total() {
        return counts.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The upper bound of the bucket holding the q-quantile; null when empty. */
    public Double quantile(double q) {
        double total = total();
        if (total <= 0) {
            return null;
        }
        double seen = 0;
        for (Map.Entry<Integer, Double> e : new TreeMap<>(counts).entrySet()) {
            seen += e.getValue();
            if (seen >= q * total - 1e-9) {
                return upperBound(e.getKey());
            }
        }
        return upperBound(new TreeMap<>(counts).lastKey());
    }
}
