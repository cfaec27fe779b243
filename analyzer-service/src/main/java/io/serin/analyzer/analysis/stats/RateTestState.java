package io.serin.analyzer.analysis.stats;

/**
 * The running state of a {@link SequentialRateTest}: log likelihood ratios per alternative, the
 * largest log e-values seen (decisions are final once reached) and the totals for the evidence.
 *
 * @param logFail  per fail alternative, the log e-value banked so far (robust mode: of the closed blocks)
 * @param logPass  the same for the pass alternatives
 * @param pending  events and exposures (canary, compared) not yet folded because one side had no
 *                 exposure yet: they are folded together with the next stretch in which both had some,
 *                 so that no observation is dropped at low traffic; null when nothing is pending
 * @param blocks   the robust test's open block and what it learnt of the noise; null for the test that
 *                 assumes independent requests
 */
public record RateTestState(double[] logFail, double[] logPass, double canaryEvents, double canaryExposure,
        double baselineEvents, double baselineExposure, double maxLogFail, double maxLogPass, double[] pending,
        Blocks blocks) {

    /** The state of a test that assumes independent requests, with nothing pending. */
    public RateTestState(double[] logFail, double[] logPass, double canaryEvents, double canaryExposure,
            double baselineEvents, double baselineExposure, double maxLogFail, double maxLogPass) {
        this(logFail, logPass, canaryEvents, canaryExposure, baselineEvents, baselineExposure, maxLogFail,
                maxLogPass, null, null);
    }

    /**
     * The open block of the robust test.
     *
     * @param start      the block's start (seconds of event time), {@code Long.MIN_VALUE} before the first
     * @param fail       per fail alternative, the block's log likelihood ratio so far (untempered)
     * @param pass       the same for the pass alternatives
     * @param sums       the block's events and exposures: canary events, canary exposure, compared events,
     *                   compared exposure
     * @param dispersion the noise learnt from the blocks closed so far (and from history)
     */
    public record Blocks(long start, double[] fail, double[] pass, double[] sums, Dispersion dispersion) {
    }

    /** This state with what {@code history} showed of the noise added; as is for a test without blocks. */
    public RateTestState withHistory(Dispersion history) {
        if (blocks == null) {
            return this;
        }
        Blocks b = new Blocks(blocks.start(), blocks.fail(), blocks.pass(), blocks.sums(),
                blocks.dispersion().plus(history));
        return new RateTestState(logFail, logPass, canaryEvents, canaryExposure, baselineEvents, baselineExposure,
                maxLogFail, maxLogPass, pending, b);
    }
}
