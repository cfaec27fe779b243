package io.serin.sandbox.traffic;

/**
 * Response times: log-normal with median 120 ms and p99 320 ms for a healthy version (the figures
 * of the benchmarks' latency scenario), stretched by a version's factor; a slow version (× 1.3) has
 * a p99 of about 416 ms, above the 400 ms a typical p99 check allows. The histogram's bounds are
 * fine around those figures, so a bucket-based p99 tells the two apart.
 */
final class LatencyModel {

    static final double MEDIAN_SECONDS = 0.120;
    static final double P99_SECONDS = 0.320;
    /** Standard normal quantile of 0.99. */
    private static final double Z99 = 2.3263478740408408;
    static final double SIGMA = Math.log(P99_SECONDS / MEDIAN_SECONDS) / Z99;
    /** Upper bounds of the histogram's buckets in seconds; +Inf is implied. */
    static final double[] BOUNDS = {0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
            0.6, 0.75, 1, 1.5, 2.5, 5};

    private LatencyModel() {
    }

    /** The probability of each bucket on its own (not cumulative), the last one above every bound. */
    static double[] bucketProbabilities(double factor) {
        double[] p = new double[BOUNDS.length + 1];
        double below = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            double cdf = cdf(BOUNDS[i], factor);
            p[i] = cdf - below;
            below = cdf;
        }
        p[BOUNDS.length] = 1 - below;
        return p;
    }

    static double cdf(double seconds, double factor) {
        return phi((Math.log(seconds) - Math.log(MEDIAN_SECONDS * factor)) / SIGMA);
    }

    static double mean(double factor) {
        return MEDIAN_SECONDS * factor * Math.exp(SIGMA * SIGMA / 2);
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1e-7). */
    static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
