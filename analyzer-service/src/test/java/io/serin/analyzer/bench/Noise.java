package io.serin.analyzer.bench;

import io.serin.analyzer.analysis.stats.Sampling;

/**
 * How one variant's error rate varies from second to second, as a multiplier of its mean rate with
 * mean 1 over time: the A/A models of the judge benchmark. Each variant gets its own, drawn
 * independently, so the canary and the baseline vary on their own with equal means.
 */
interface Noise {

    /** The multiplier of the next second. */
    double next(Sampling draw);

    /** The kinds of noise, with a fresh process per variant and run. */
    enum Kind {
        /** Independent requests: the Poisson/Bernoulli model every classic test assumes. */
        NONE("clean (independent requests)"),
        /** Bursts: on average every 90 s, 2-10 s during which the rate is 6x. */
        BURSTS("independent bursts (every ~90 s, 2-10 s at 6x)"),
        /** Slow drift: log rate an Ornstein-Uhlenbeck process, 60 s correlation, ±30% (one sd). */
        DRIFT("slow independent drift (±30%, 1 min)"),
        /** One bad pod of four: each pod turns bad every ~10 min for ~90 s (exponential), 5x the rate. */
        BAD_POD("one bad pod out of 4 (5x, ~90 s every ~10 min)"),
        /** Mixture: drift ±20%, bursts every ~3 min, and bad pods. */
        MIXTURE("mixture of drift, bursts and a bad pod"),
        /** Per-second gamma noise: the rate of every second drawn anew, coefficient of variation 0.7. */
        JITTER("per-second jitter (gamma, CV 0.7)");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        Noise create() {
            return switch (this) {
                case NONE -> draw -> 1;
                case BURSTS -> bursts(90, 2, 10, 6);
                case DRIFT -> drift(60, 0.3);
                case BAD_POD -> badPod(4, 600, 90, 5);
                case MIXTURE -> {
                    Noise a = drift(60, 0.2);
                    Noise b = bursts(180, 2, 10, 6);
                    Noise c = badPod(4, 600, 90, 5);
                    yield draw -> a.next(draw) * b.next(draw) * c.next(draw);
                }
                case JITTER -> draw -> gamma(draw, 2) / 2; // shape 2: CV 0.71, mean 1
            };
        }
    }

    static Noise bursts(double every, int shortest, int longest, double factor) {
        double mean = 1 + (factor - 1) * ((shortest + longest) / 2.0) / every;
        int[] left = {0};
        return draw -> {
            if (left[0] == 0 && draw.uniform() < 1 / every) {
                left[0] = shortest + (int) (draw.uniform() * (longest - shortest + 1));
            }
            if (left[0] > 0) {
                left[0]--;
                return factor / mean;
            }
            return 1 / mean;
        };
    }

    static Noise drift(double seconds, double sd) {
        double keep = Math.exp(-1 / seconds);
        double step = sd * Math.sqrt(1 - keep * keep);
        double[] x = {Double.NaN};
        return draw -> {
            x[0] = Double.isNaN(x[0]) ? sd * draw.gaussian() : keep * x[0] + step * draw.gaussian();
            return Math.exp(x[0] - sd * sd / 2);
        };
    }

    static Noise badPod(int pods, double every, double lasts, double factor) {
        double badShare = lasts / (every + lasts);
        double mean = 1 + (factor - 1) * badShare;
        boolean[] bad = new boolean[pods];
        boolean[] started = {false};
        return draw -> {
            if (!started[0]) {
                for (int i = 0; i < pods; i++) {
                    bad[i] = draw.uniform() < badShare;
                }
                started[0] = true;
            }
            int badPods = 0;
            for (int i = 0; i < pods; i++) {
                if (bad[i] ? draw.uniform() < 1 / lasts : draw.uniform() < 1 / every) {
                    bad[i] = !bad[i];
                }
                badPods += bad[i] ? 1 : 0;
            }
            return (1 + (factor - 1) * badPods / (double) pods) / mean;
        };
    }

    /** Gamma(shape, 1) for shape ≥ 1 (Marsaglia and Tsang). */
    static double gamma(Sampling draw, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = draw.gaussian();
            double v = Math.pow(1 + c * z, 3);
            if (v <= 0) {
                continue;
            }
            double u = draw.uniform();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
