package io.serin.analyzer.analysis.stats;

/**
 * How much the event rates vary beyond what independent requests would make them vary, learnt at
 * several time scales. Requests are rarely independent: errors come in bursts, rates drift, one pod of
 * several goes bad. Model a variant's rate in a stretch of time as its mean times a multiplier with
 * mean 1 and variance {@code c}, the squared coefficient of variation of the rate over stretches of that
 * length; then a count with expected value μ has variance {@code μ + c·μ²} instead of μ. The estimate of
 * {@code c} is traffic-free: it carries over from the stable version's history at its traffic to the
 * canary's comparison at another, and it says how much the noise matters at the comparison's traffic:
 * the comparison's variance is {@code 1 + c·h} times the binomial one, {@code h = 2·μC·μB/(μC + μB)}
 * (events expected per stretch). At 0.2 requests per second overdispersion hardly matters; at 500 it
 * dominates.
 *
 * <p>A short burst shows at the scale of one block, a drift over minutes only at the scale of minutes
 * (the variance of a rate averaged over a longer stretch is never larger for the same noise, but its
 * effect on counts that grow with the stretch is), so each scale is estimated on its own: a ratio
 * estimator {@code Σ(U² − binomial variance) / Σ coefficient} over the stretches closed at that scale,
 * shrunk towards the next smaller scale's estimate (or, at the smallest, towards the prior) with the
 * weight of {@code priorWeight} stretches. A scale longer than the evidence so far cannot have shaped it
 * and is not used yet.
 *
 * <p>Two kinds of data enter: stretches of the comparison itself (the canary's excess over its expected
 * share of the events, around the ratio estimated so far, so that a real and sustained difference does
 * not count as noise), and stretches of one variant's history (its events around its own mean rate),
 * e.g. the stable version's minutes before the release.
 *
 * @param sums per scale, {@value #PER_SCALE} numbers: Σa, Σb, stretches closed, Σa², Σab, Σb² of the terms
 *             a = U² − binomial variance and b = the coefficient of c
 * @param open per scale, the five sums of the stretch being filled: canary events, canary exposure,
 *             compared events, compared exposure, blocks (for history: events, exposure, 0, 0, blocks)
 * @param flow the comparison's events so far (both variants), the exposures (canary, compared) and the
 *             blocks they came in, for the events a stretch is expected to hold
 */
public record Dispersion(double[] sums, double[] open, double[] flow) {

    /** Scales, in blocks: one block, 6 blocks, 24 blocks (5 s, 30 s and 2 min with 5-second blocks). */
    static final int[] SCALES = {1, 6, 24};

    /** Numbers kept per scale: Σa, Σb, stretches, Σa², Σab, Σb² of the terms a = U² − binomial variance, b = coefficient. */
    static final int PER_SCALE = 7;

    /** Standard errors added to each scale's estimate. */
    static final double Z = 1.64;

    /**
     * The most the standard errors may raise an estimate to: a rate whose multiplier varies by 100%
     * from stretch to stretch. Few events make the standard error huge while telling little; without
     * this, a low-traffic check would be discounted for noise its data cannot show.
     */
    static final double MAX_UPPER = 1.0;

    public static final Dispersion NONE = new Dispersion(new double[PER_SCALE * SCALES.length],
            new double[5 * SCALES.length], new double[4]);

    /**
     * What a variant's history says about its noise: {@code events[i]} of {@code exposures[i]} per step
     * of {@code stepSeconds} (e.g. errors and requests of the stable version in the hour before the
     * release), for blocks of {@code blockSeconds}. Steps shorter than a block are summed into blocks;
     * a step longer than a block counts as that many blocks, and teaches only the scales at least as
     * long as it. A step that was not measured is NaN; a block holding one is left out.
     */
    public static Dispersion ofHistory(double[] events, double[] exposures, double stepSeconds, int blockSeconds) {
        if (events.length != exposures.length) {
            throw new IllegalArgumentException("events and exposures differ in length");
        }
        if (!(stepSeconds > 0) || blockSeconds < 1) {
            throw new IllegalArgumentException("need a positive step and block");
        }
        double x = 0;
        double n = 0;
        for (int i = 0; i < events.length; i++) {
            if (!Double.isNaN(events[i]) && !Double.isNaN(exposures[i])) {
                x += events[i];
                n += exposures[i];
            }
        }
        if (!(n > 0) || !(x > 0)) {
            return NONE;
        }
        double rate = Math.min(x / n, 0.999_999);
        int stepsPerBlock = (int) Math.max(1, Math.round(blockSeconds / stepSeconds));
        int blocksPerStep = (int) Math.max(1, Math.round(stepSeconds / blockSeconds));
        Dispersion d = NONE;
        for (int start = 0; start + stepsPerBlock <= events.length; start += stepsPerBlock) {
            double bx = 0;
            double bn = 0;
            for (int i = start; i < start + stepsPerBlock; i++) {
                bx += events[i];
                bn += exposures[i];
            }
            if (!Double.isNaN(bx) && !Double.isNaN(bn)) {
                d = d.add(bx, bn, 0, 0, rate, Double.NaN, true, blocksPerStep);
            }
        }
        return d;
    }

    /** This with what {@code history} learnt added (its stretches only; this keeps its open stretches and flow). */
    public Dispersion plus(Dispersion history) {
        double[] next = sums.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += history.sums[i];
        }
        return new Dispersion(next, open, flow);
    }

    /**
     * Adds one block of the comparison, given the rates estimated so far: {@code rateC} and
     * {@code rateB} events per exposure of each variant.
     */
    Dispersion withBlock(double xC, double nC, double xB, double nB, double rateC, double rateB) {
        Dispersion next = add(xC, nC, xB, nB, rateC, rateB, false, 1);
        double[] nextFlow = flow.clone();
        nextFlow[0] += xC + xB;
        nextFlow[1] += nC;
        nextFlow[2] += nB;
        nextFlow[3]++;
        return new Dispersion(next.sums, next.open, nextFlow);
    }

    /** Adds what {@code blocks} blocks held to every scale at least that long. */
    private Dispersion add(double a, double b, double c, double d, double rateA, double rateB, boolean history,
            int blocks) {
        double[] nextSums = sums.clone();
        double[] nextOpen = open.clone();
        for (int s = 0; s < SCALES.length; s++) {
            if (SCALES[s] < blocks) {
                continue;
            }
            int o = 5 * s;
            nextOpen[o] += a;
            nextOpen[o + 1] += b;
            nextOpen[o + 2] += c;
            nextOpen[o + 3] += d;
            nextOpen[o + 4] += blocks;
            if (nextOpen[o + 4] >= SCALES[s]) {
                double[] term = history ? single(nextOpen[o], nextOpen[o + 1], rateA)
                        : pair(nextOpen[o], nextOpen[o + 1], nextOpen[o + 2], nextOpen[o + 3], rateA, rateB);
                if (term != null) {
                    int k = PER_SCALE * s;
                    nextSums[k] += term[0];
                    nextSums[k + 1] += term[1];
                    nextSums[k + 2]++;
                    nextSums[k + 3] += term[0] * term[0];
                    nextSums[k + 4] += term[0] * term[1];
                    nextSums[k + 5] += term[1] * term[1];
                    nextSums[k + 6] += history ? 1 : 0;
                }
                for (int i = 0; i < 5; i++) {
                    nextOpen[o + i] = 0;
                }
            }
        }
        return new Dispersion(nextSums, nextOpen, flow);
    }

    /**
     * The canary's excess over its expected share of the events, {@code U = (1 − p)·xC − p·xB}: its
     * square minus its binomial variance, and the coefficient of {@code c} in its expectation.
     */
    private static double[] pair(double xC, double nC, double xB, double nB, double rateC, double rateB) {
        double muC = nC * rateC;
        double muB = nB * rateB;
        if (!(muC > 0) || !(muB > 0)) {
            return null;
        }
        double p = muC / (muC + muB);
        double u = (1 - p) * xC - p * xB;
        double binomial = (1 - p) * (1 - p) * muC * (1 - rateC) + p * p * muB * (1 - rateB);
        double coefficient = (1 - p) * (1 - p) * muC * muC + p * p * muB * muB;
        return new double[] {u * u - binomial, coefficient};
    }

    /** One variant's events around its mean rate. */
    private static double[] single(double x, double n, double rate) {
        double mu = n * rate;
        if (!(mu > 0)) {
            return null;
        }
        return new double[] {(x - mu) * (x - mu) - mu * (1 - rate), mu * mu};
    }

    /**
     * The factor by which the comparison's variance exceeds the binomial one now, at least 1: the
     * largest over the scales. Each scale's estimate is shrunk towards an assumption: at the block,
     * {@code robust.blockPrior()}; above it, the larger of {@code robust.prior()} and the scale below's
     * estimate (noise over a longer stretch is taken to be at least what is assumed there). An
     * assumption weighs {@code robust.priorWeight()} stretches of data, less the more history the
     * scale has.
     */
    public double factor(SequentialRateTest.Robustness robust) {
        // Events a stretch is expected to hold under the null (one rate for both): the pooled rate times
        // each variant's exposure per block so far.
        double blocks = flow[3];
        double pooled = flow[1] + flow[2] > 0 ? flow[0] / (flow[1] + flow[2]) : 0;
        double perBlockC = blocks > 0 ? pooled * flow[1] / blocks : 0;
        double perBlockB = blocks > 0 ? pooled * flow[2] / blocks : 0;
        double[] c = estimates(robust);
        double phi = 1;
        for (int s = 0; s < SCALES.length; s++) {
            double muC = perBlockC * SCALES[s];
            double muB = perBlockB * SCALES[s];
            double h = muC + muB > 0 ? 2 * muC * muB / (muC + muB) : 0;
            phi = Math.max(phi, 1 + c[s] * h);
        }
        return phi;
    }

    /** The estimate of {@code c} per scale (smallest first), as {@link #factor} uses them. */
    public double[] estimates(SequentialRateTest.Robustness robust) {
        double[] out = new double[SCALES.length];
        for (int s = 0; s < SCALES.length; s++) {
            double assumed = s == 0 ? robust.blockPrior() : Math.max(robust.prior(), out[s - 1]);
            out[s] = estimate(s, assumed, robust.priorWeight());
        }
        return out;
    }

    /**
     * The estimate of {@code c} at a scale: the ratio estimate shrunk towards {@code prior}, plus
     * {@value #Z} standard errors (few stretches of a rare kind of noise say little, so the judge
     * takes the upper end of what they are consistent with); at least 0.
     */
    private double estimate(int s, double prior, double priorWeight) {
        int k = PER_SCALE * s;
        double n = sums[k + 2];
        if (n == 0) {
            return prior;
        }
        double a = sums[k];
        double b = sums[k + 1];
        double meanCoefficient = b / n;
        // History stands in for the prior: the more of it, the less the prior weighs.
        double history = sums[k + 6];
        double share = priorWeight / (priorWeight + history);
        double w = priorWeight * share * share;
        double weight = b + w * meanCoefficient;
        double c = (a + w * prior * meanCoefficient) / weight;
        double ratio = a / b;
        double residual = Math.max(0, sums[k + 3] - 2 * ratio * sums[k + 4] + ratio * ratio * sums[k + 5]);
        return Math.min(Math.max(0, c + Z * Math.sqrt(residual) / weight), Math.max(MAX_UPPER, c));
    }
}
