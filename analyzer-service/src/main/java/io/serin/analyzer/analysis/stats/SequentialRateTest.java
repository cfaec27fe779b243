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
 *
 * <p>All of this assumes that requests are independent trials with one rate per variant over each
 * batch. Production traffic breaks that: errors come in bursts, rates drift, a pod goes bad, in one
 * variant and not the other, and the canary's share of the events then varies far more than
 * binomially. The <em>robust</em> test ({@link Robustness}) keeps the construction and guards it:
 * evidence is gathered in blocks of event time; each block's likelihood ratio is raised to the power
 * 1/φ, φ ≥ 1 being how much more the comparison varies than binomially, estimated before the block
 * from the blocks so far and from history at several time scales ({@link Dispersion}); and no block
 * may contribute more than a share of the evidence needed to decide. Under independent requests each
 * factor is still at most the likelihood ratio's (Jensen: E[L^(1/φ)] ≤ E[L]^(1/φ) ≤ 1, and a cap only
 * lowers it), so the guarantee above stands exactly; under overdispersion it holds to the extent that
 * φ is right (the quasi-likelihood argument: for a score with variance φ·I, exp(θS/φ − θ²I/(2φ)) has
 * mean 1), and the cap bounds what one unforeseen block can do.
 *
 * <p>A stretch in which one variant had no exposure is kept and folded with the next in which both
 * had some, so no observation is dropped at low traffic; the conditional argument is unchanged, as
 * which stretches are pooled depends on exposures only.
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
    private final Robustness robust;

    /**
     * How the robust test guards against noise that independent requests do not have.
     *
     * @param blockSeconds  evidence is gathered in blocks of this much event time
     * @param blockPrior    the variance of the rate's multiplier (squared coefficient of variation, see
     *                      {@link Dispersion}) assumed over one block before data show it
     * @param prior         the same over the longer scales (30 s, 2 min), and the least assumed there
     *                      until their own data outweigh it
     * @param priorWeight   how many stretches of data (per scale) an assumption weighs
     * @param capShare      the largest share of the evidence needed to decide that one block may carry
     */
    public record Robustness(int blockSeconds, double blockPrior, double prior, double priorWeight,
            double capShare) {

        /**
         * Blocks of 5 s; until shown otherwise, rates are assumed to vary by a coefficient of variation of
         * 0.22 from block to block and of 0.39 over 30 s and 2 min (the ±30% drifts over a minute that
         * services show), each weighing four stretches of data; a block carries at most 60% of a decision.
         */
        public static final Robustness DEFAULT = new Robustness(5, 0.05, 0.15, 4, 0.6);

        public Robustness {
            if (blockSeconds < 1 || !(blockPrior >= 0) || !(prior >= 0) || !(priorWeight >= 0)
                    || !(capShare > 0)) {
                throw new IllegalArgumentException("need blockSeconds >= 1, priors >= 0, priorWeight >= 0"
                        + " and capShare > 0");
            }
        }
    }

    /**
     * @param alpha  bound on the probability of failing a canary that is not worse
     * @param beta   bound on the probability of passing a canary worse by the margin or more
     * @param margin allowed relative increase: 1.0 means a canary passes once shown below 2x
     */
    public SequentialRateTest(double alpha, double beta, double margin) {
        this(alpha, beta, margin, 0);
    }

    /**
     * The test that assumes every request an independent trial with one rate per variant.
     *
     * @param floor a canary's rate too low to matter (events per exposure), 0 for none: the canary also
     *              passes once shown below it
     */
    public SequentialRateTest(double alpha, double beta, double margin, double floor) {
        this(alpha, beta, margin, floor, null);
    }

    /** @param robust how to guard against overdispersed noise; null for the test that assumes independent requests */
    public SequentialRateTest(double alpha, double beta, double margin, double floor, Robustness robust) {
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
        this.robust = robust;
        this.failRatios = Arrays.stream(FAIL_POWERS).map(k -> Math.pow(limit, k)).toArray();
        this.passRatios = Arrays.stream(PASS_POWERS).map(k -> Math.pow(limit, k)).toArray();
    }

    public RateTestState start() {
        return start(Dispersion.NONE);
    }

    /** A test that starts knowing what {@code history} showed of the noise (robust test only). */
    public RateTestState start(Dispersion history) {
        RateTestState.Blocks blocks = robust == null ? null
                : new RateTestState.Blocks(Long.MIN_VALUE, new double[failRatios.length],
                        new double[passRatios.length], new double[4], history);
        return new RateTestState(new double[failRatios.length], new double[passRatios.length], 0, 0, 0, 0, 0, 0,
                null, blocks);
    }

    /** Whether this is the robust test. */
    public boolean robust() {
        return robust != null;
    }

    /** {@link #update(RateTestState, long, double, double, double, double)} for the test that assumes independent requests. */
    public RateTestState update(RateTestState s, double canaryEvents, double canaryExposure, double baselineEvents,
            double baselineExposure) {
        if (robust != null) {
            throw new IllegalStateException("the robust test needs the time of the evidence");
        }
        return update(s, 0, canaryEvents, canaryExposure, baselineEvents, baselineExposure);
    }

    /**
     * Folds in the events and exposures of both variants over the same stretch of event time ending at
     * {@code time} (seconds). A stretch in which one variant had no exposure is kept and folded with the
     * next one in which both had some: the comparison is always made over the same time, and no
     * observation is dropped.
     */
    public RateTestState update(RateTestState s, long time, double canaryEvents, double canaryExposure,
            double baselineEvents, double baselineExposure) {
        double[] batch = s.pending() == null ? new double[4] : s.pending().clone();
        batch[0] += canaryEvents;
        batch[1] += canaryExposure;
        batch[2] += baselineEvents;
        batch[3] += baselineExposure;
        double cE = s.canaryEvents() + canaryEvents;
        double cN = s.canaryExposure() + canaryExposure;
        double bE = s.baselineEvents() + baselineEvents;
        double bN = s.baselineExposure() + baselineExposure;
        if (!(batch[1] > 0 && batch[3] > 0)) {
            boolean any = batch[0] + batch[1] + batch[2] + batch[3] > 0;
            return new RateTestState(s.logFail(), s.logPass(), cE, cN, bE, bN, s.maxLogFail(), s.maxLogPass(),
                    any ? batch : null, s.blocks());
        }
        if (robust == null) {
            double[] fail = s.logFail().clone();
            double[] pass = s.logPass().clone();
            if (batch[0] + batch[2] > 0) {
                accumulate(fail, failRatios, 1.0, batch);
                accumulate(pass, passRatios, limit, batch);
            }
            return new RateTestState(fail, pass, cE, cN, bE, bN,
                    Math.max(s.maxLogFail(), logE(fail, FAIL_WEIGHTS)), Math.max(s.maxLogPass(), logE(pass,
                            PASS_WEIGHTS)), null, null);
        }
        RateTestState.Blocks b = s.blocks();
        double[] bankFail = s.logFail();
        double[] bankPass = s.logPass();
        Dispersion dispersion = b.dispersion();
        long blockStart = Math.floorDiv(time, robust.blockSeconds()) * robust.blockSeconds();
        double[] blockFail;
        double[] blockPass;
        double[] sums;
        if (b.start() == Long.MIN_VALUE || time >= b.start() + robust.blockSeconds()) {
            if (b.start() != Long.MIN_VALUE) {
                double phi = dispersion.factor(robust);
                bankFail = bank(bankFail, b.fail(), phi, failCap());
                bankPass = bank(bankPass, b.pass(), phi, passCap());
                double[] sum = b.sums();
                double rC = (s.canaryEvents() + 0.5) / (s.canaryExposure() + 1);
                double rB = (s.baselineEvents() + 0.5) / (s.baselineExposure() + 1);
                dispersion = dispersion.withBlock(sum[0], sum[1], sum[2], sum[3], rC, rB);
            }
            blockFail = new double[failRatios.length];
            blockPass = new double[passRatios.length];
            sums = new double[4];
        } else {
            blockStart = b.start();
            blockFail = b.fail().clone();
            blockPass = b.pass().clone();
            sums = b.sums().clone();
        }
        if (batch[0] + batch[2] > 0) {
            accumulate(blockFail, failRatios, 1.0, batch);
            accumulate(blockPass, passRatios, limit, batch);
        }
        for (int i = 0; i < 4; i++) {
            sums[i] += batch[i];
        }
        RateTestState.Blocks next = new RateTestState.Blocks(blockStart, blockFail, blockPass, sums, dispersion);
        double phi = dispersion.factor(robust);
        double logFail = logE(bank(bankFail, blockFail, phi, failCap()), FAIL_WEIGHTS);
        double logPass = logE(bank(bankPass, blockPass, phi, passCap()), PASS_WEIGHTS);
        return new RateTestState(bankFail, bankPass, cE, cN, bE, bN, Math.max(s.maxLogFail(), logFail),
                Math.max(s.maxLogPass(), logPass), null, next);
    }

    /**
     * The banked log e-values with a block's added: its log likelihood ratio tempered by the dispersion
     * (a power 1/φ ≤ 1 of a likelihood ratio, so never more than it under independent requests) and capped,
     * so that no block carries more than its share of the evidence whatever happened in it.
     */
    private static double[] bank(double[] banked, double[] block, double phi, double cap) {
        double[] next = banked.clone();
        for (int j = 0; j < next.length; j++) {
            next[j] += Math.min(cap, block[j] / phi);
        }
        return next;
    }

    private double failCap() {
        return robust.capShare() * Math.log(1 / alpha);
    }

    private double passCap() {
        return robust.capShare() * Math.log(1 / beta);
    }

    private static void accumulate(double[] log, double[] ratios, double nullRatio, double[] batch) {
        double xC = batch[0];
        double nC = batch[1];
        double xB = batch[2];
        double nB = batch[3];
        double p0 = nullRatio * nC / (nullRatio * nC + nB);
        for (int j = 0; j < ratios.length; j++) {
            double p1 = ratios[j] * nC / (ratios[j] * nC + nB);
            log[j] += xC * Math.log(p1 / p0) + xB * Math.log((1 - p1) / (1 - p0));
        }
    }

    /**
     * The dispersion the test tempers by now: 1 for the test that assumes independent requests, else at
     * least 1, from the blocks closed so far, the history it started with and the prior.
     */
    public double dispersion(RateTestState s) {
        return robust == null || s.blocks() == null ? 1
                : s.blocks().dispersion().factor(robust);
    }

    /** The current log e-values per alternative: banked, plus the open block's tempered and capped. */
    private double[] current(RateTestState s, boolean fail) {
        double[] banked = fail ? s.logFail() : s.logPass();
        if (robust == null || s.blocks() == null) {
            return banked;
        }
        return bank(banked, fail ? s.blocks().fail() : s.blocks().pass(), dispersion(s), fail ? failCap()
                : passCap());
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
        // The robust test tempers this too: bursts on the canary alone make its requests' outcomes
        // depend on each other just as they do the comparison's.
        return Math.exp(logE(log, FLOOR_WEIGHTS) / dispersion(s));
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
        return Math.exp(logE(current(s, true), FAIL_WEIGHTS));
    }

    /** The pass test's current e-value: evidence against "the canary is worse by the margin or more". */
    public double ePass(RateTestState s) {
        return Math.exp(logE(current(s, false), PASS_WEIGHTS));
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
