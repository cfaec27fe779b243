package io.serin.analyzer.analysis.stats;

import java.util.SplittableRandom;

/** Seeded draws for simulations: Poisson arrivals, binomial outcomes, log-normal latencies. */
public final class Sampling {

    private final SplittableRandom random;

    public Sampling(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 500) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** Successes in n trials, by geometric skips: cost proportional to n·p. */
    public int binomial(int n, double p) {
        if (p <= 0 || n <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        double logQ = Math.log1p(-p);
        int successes = 0;
        long position = 0;
        while (true) {
            position += (long) Math.floor(Math.log(1 - random.nextDouble()) / logQ) + 1;
            if (position > n) {
                return successes;
            }
            successes++;
        }
    }

    public double gaussian() {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public double logNormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    public double uniform() {
        return random.nextDouble();
    }
}
