package io.serin.analyzer.analysis.stats;

import java.util.Arrays;

/**
 * An anytime-valid sequential comparison of two event rates, e.g. errors per request or slow
 * requests per request of a canary against its baseline: a mixture sequential probability ratio
 * test on the rate ratio {@code ρ = rate(canary) / rate(baseline)}, after Lindon et al., "Rapid
 * Regression Detection in Software Deployments through Sequential Testing" (KDD 2022).
 *
 * <p>Evidence comes in batches: the events and exposures (requests) of both variants over the same
 * stretch of event time. Given the total events {@code m} of a batch, the canary's share is
 * Binomial(m, p) with {@code p = ρ·nC / (ρ·nC + nB)}, whatever the common (possibly drifting) base
 * rate; per batch the likelihood ratio of an alternative ρ1 against the null ρ0 is therefore known,
 * and the running product over batches is a test martingale under the null. A mixture (a weighted
 * sum over a fixed grid of alternatives) of test martingales is one too, so by Ville's inequality
 * the probability that it <em>ever</em> reaches {@code 1/α} is at most α: the test may be evaluated
 * after every batch, for as long as one likes, without inflating false alarms.
 *
 * <p>Two such tests run side by side:
 * <ul>
 * <li>fail: null ρ ≤ 1 (the canary is not worse), alternatives ρ &gt; 1. Crossing {@code 1/α}
 * fails the canary; a healthy canary is failed with probability at most α.</li>
 * <li>pass: null ρ ≥ 1 + margin (worse by the margin or more), alternatives ρ &lt; 1 + margin.
 * Crossing {@code 1/β} passes the canary; one worse by the margin or more passes with probability at
 * most β.</li>
 * <li>below a negligible rate (optional, {@code floor} &gt; 0): null: the canary's own rate is
 * {@code floor} or more, alternatives a fraction of it. Requests are Bernoulli trials, so the
 * likelihood ratio of the canary's errors and requests so far is a test supermartingale under the
 * null, whatever the baseline does: ten thousand requests without an error are evidence of a rate
 * below 0.1% even when the baseline had no errors either, which the ratio cannot show. With it the
 * pass test's e-value is the mean of the two, a test supermartingale for canaries that are worse by
 * the margin <em>and</em> not negligible, so those pass with probability at most β.</li>
 * </ul>
 * One-sided composite nulls are covered because each component's likelihood ratio is a
 * supermartingale for every ρ on the null side. Binomial sampling of errors per request (rather
 * than Poisson) only makes the conditional count hypergeometric, which is smaller in convex order,
 * so the guarantee stands.
 */
public final class SequentialRateTest {

    /** What the evidence so far says. */
    public enum Decision { FAIL, PASS, CONTINUE }

    // Alternatives as powers of the margin ratio: most weight on the margin itself (the effect the
    // test is designed for), the rest on larger effects so a 5x canary stops within seconds.
    private static final double[] FAIL_POWERS = {0.5, 1, 1.5, 2, 3, 4};
    private static final double[] FAIL_WEIGHTS = {0.10, 0.35, 0.15, 0.20, 0.15, 0.05};
    // Pass alternatives: mostly "no change", some on a small change either way.
    private static final double[] PASS_POWERS = {0, 0.5, -0.5, -1};
    private static final double[] PASS_WEIGHTS = {0.5, 0.2, 0.2, 0.1};

    // Alternatives of the negligible-rate test, as fractions of the floor.
    private static final double[] FLOOR_FRACTIONS = {0.5, 0.25, 0.1};
    private static final double[] FLOOR_WEIGHTS = {0.25, 0.35, 0.4};

    private final double alpha;
    private final double beta;
    private final double limit;
    private final double floor;
    private final double[] failRatios;
    private final double[] passRatios;

    /**
     * @param alpha  bound on the probability of failing a canary that is not worse
     * @param beta   bound on the probability of passing a canary worse by the margin or more
     * @param margin allowed relative increase: 1.0 means a canary passes once shown below 2x
     */
    public SequentialRateTest(double alpha, double beta, double margin) {
        this(alpha, beta, margin, 0);
    }

    /**
     * @param floor a canary's rate too low to matter (events per exposure), 0 for none: the canary also
     *              passes once shown below it
     */
    public SequentialRateTest(double alpha, double beta, double margin, double floor) {
        if (!(alpha > 0 && alpha < 1) || !(beta > 0 && beta < 1) || !(margin > 0)) {
            throw new IllegalArgumentException("need 0 < alpha, beta < 1 and margin > 0, got alpha " + alpha
                    + ", beta " + beta + ", margin " + margin);
        }
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("need 0 <= negligible rate < 1, got " + floor);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.floor = floor;
        this.limit = 1 + margin;
        this.failRatios = Arrays.stream(FAIL_POWERS).map(k -> Math.pow(limit, k)).toArray();
        this.passRatios = Arrays.stream(PASS_POWERS).map(k -> Math.pow(limit, k)).toArray();
    }

    public RateTestState start() {
        return new RateTestState(new double[failRatios.length], new double[passRatios.length], 0, 0, 0, 0, 0, 0);
    }

    /**
     * Folds one batch in. A batch where either variant had no exposure carries no information about
     * the ratio (it only adds to the totals): the comparison is always made over the same time.
     */
    public RateTestState update(RateTestState s, double canaryEvents, double canaryExposure, double baselineEvents,
            double baselineExposure) {
        double[] fail = s.logFail().clone();
        double[] pass = s.logPass().clone();
        double m = canaryEvents + baselineEvents;
        if (canaryExposure > 0 && baselineExposure > 0 && m > 0) {
            accumulate(fail, failRatios, 1.0, canaryEvents, canaryExposure, baselineEvents, baselineExposure);
            accumulate(pass, passRatios, limit, canaryEvents, canaryExposure, baselineEvents, baselineExposure);
        }
        return new RateTestState(fail, pass, s.canaryEvents() + canaryEvents, s.canaryExposure() + canaryExposure,
                s.baselineEvents() + baselineEvents, s.baselineExposure() + baselineExposure,
                Math.max(s.maxLogFail(), logE(fail, FAIL_WEIGHTS)), Math.max(s.maxLogPass(), logE(pass, PASS_WEIGHTS)));
    }

    private static void accumulate(double[] log, double[] ratios, double nullRatio, double xC, double nC, double xB,
            double nB) {
        double p0 = nullRatio * nC / (nullRatio * nC + nB);
        for (int j = 0; j < ratios.length; j++) {
            double p1 = ratios[j] * nC / (ratios[j] * nC + nB);
            log[j] += xC * Math.log(p1 / p0) + xB * Math.log((1 - p1) / (1 - p0));
        }
    }

    /**
     * FAIL once the fail test's e-value ever reached 1/α, PASS once the pass test's reached 1/β (with a
     * floor: the mean of the ratio's and the floor's e-values, now).
     */
    public Decision decide(RateTestState s) {
        if (s.maxLogFail() >= Math.log(1 / alpha)) {
            return Decision.FAIL;
        }
        if (floor == 0 ? s.maxLogPass() >= Math.log(1 / beta) : passEvidence(s) >= 1 / beta) {
            return Decision.PASS;
        }
        return Decision.CONTINUE;
    }

    /** The e-value the pass decision is taken on: the ratio's, or with a floor the mean of it and the floor's. */
    public double passEvidence(RateTestState s) {
        return floor == 0 ? ePass(s) : (ePass(s) + eBelowFloor(s)) / 2;
    }

    /**
     * Evidence against "the canary's rate is the floor or more", from its events and exposure so far
     * (the product of per-request likelihood ratios is that of the totals); 0 without a floor.
     */
    public double eBelowFloor(RateTestState s) {
        if (floor == 0) {
            return 0;
        }
        double x = s.canaryEvents();
        double n = Math.max(s.canaryExposure(), x);
        double[] log = new double[FLOOR_FRACTIONS.length];
        for (int j = 0; j < log.length; j++) {
            double p1 = FLOOR_FRACTIONS[j] * floor;
            log[j] = x * Math.log(p1 / floor) + (n - x) * (Math.log1p(-p1) - Math.log1p(-floor));
        }
        return Math.exp(logE(log, FLOOR_WEIGHTS));
    }

    /** The negligible rate, 0 for none. */
    public double floor() {
        return floor;
    }

    /** Whether the canary passed by its own rate alone (the floor's evidence is the larger part). */
    public boolean passedByFloor(RateTestState s) {
        return floor > 0 && eBelowFloor(s) > ePass(s);
    }

    /** The fail test's current e-value: evidence against "the canary is not worse". */
    public double eFail(RateTestState s) {
        return Math.exp(logE(s.logFail(), FAIL_WEIGHTS));
    }

    /** The pass test's current e-value: evidence against "the canary is worse by the margin or more". */
    public double ePass(RateTestState s) {
        return Math.exp(logE(s.logPass(), PASS_WEIGHTS));
    }

    /** Always-valid p-value of "the canary is not worse": 1 / the largest e-value so far, capped at 1. */
    public double pValue(RateTestState s) {
        return Math.min(1, Math.exp(-s.maxLogFail()));
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double margin() {
        return limit - 1;
    }

    private static double logE(double[] log, double[] weights) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : log) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int j = 0; j < log.length; j++) {
            sum += weights[j] * Math.exp(log[j] - max);
        }
        return max + Math.log(sum);
    }
}
