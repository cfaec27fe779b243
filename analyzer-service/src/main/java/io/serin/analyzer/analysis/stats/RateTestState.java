package io.serin.analyzer.analysis.stats;

/**
 * The running state of a {@link SequentialRateTest}: log likelihood ratios per alternative, the
 * largest log e-values seen (decisions are final once reached) and the totals for the evidence.
 */
public record RateTestState(double[] logFail, double[] logPass, double canaryEvents, double canaryExposure,
        double baselineEvents, double baselineExposure, double maxLogFail, double maxLogPass) {
}
