package io.serin.analyzer.analysis.stats;

/**
 * Where a latency test can count exceedances exactly, near a quantile of the compared variant: a
 * bucket bound its data holds. A histogram sample can be split only at its own bounds, and the
 * sketch puts all of a histogram bucket's counts at its upper bound, so the quantile's own bucket
 * bound may lie far above the quantile (Istio's default buckets: a p99 of 320 ms sits in (250, 500]
 * and 500 ms has only ~0.06% above it, a rate too small to test within minutes).
 *
 * <p>The rule: of the occupied bucket bounds, the one the quantile falls at (the sketch's quantile)
 * and the next lower one, take the one whose share of observations above it is closest to
 * {@code 1 - quantile} in log-ratio. As shares fall with the bound, these two are the nearest from
 * above and below, so this is the occupied bound nearest to the quantile in the tail's own scale.
 * A bound with nothing above it (share 0) is infinitely far: it can never show a compared variant
 * healthy. With raw observations the sketch is dense, the two are 2% apart and either is the
 * quantile to within the sketch's resolution. Ties keep the quantile's own bound.
 */
public final class TestableThreshold {

    private TestableThreshold() {
    }

    /**
     * The sketch bucket index of the bound to test at for the {@code quantile} of {@code sketch}
     * ({@link LogHistogram#upperBound(int)} is within 2% above the bound itself).
     *
     * @throws IllegalArgumentException when the sketch is empty
     */
    public static int choose(LogHistogram sketch, double quantile) {
        int at = sketch.quantilePosition(quantile);
        if (at < 0) {
            throw new IllegalArgumentException("no observations to choose a threshold from");
        }
        if (at == 0) {
            return sketch.indexAt(0);
        }
        double target = 1 - quantile;
        double atShare = sketch.above(at) / sketch.total();
        double belowShare = sketch.above(at - 1) / sketch.total();
        return distance(belowShare, target) < distance(atShare, target) ? sketch.indexAt(at - 1)
                : sketch.indexAt(at);
    }

    /** The share of the sketch's observations above bucket {@code index}'s upper bound. */
    public static double shareAbove(LogHistogram sketch, int index) {
        if (sketch.total() <= 0) {
            return 0;
        }
        double above = 0;
        for (int i = sketch.size() - 1; i >= 0 && sketch.indexAt(i) > index; i--) {
            above += sketch.countAt(i);
        }
        return above / sketch.total();
    }

    private static double distance(double share, double target) {
        return share > 0 ? Math.abs(Math.log(share / target)) : Double.POSITIVE_INFINITY;
    }
}
