package io.serin.analyzer.analysis.stats;

import io.serin.analyzer.analysis.stats.SequentialRateTest.Decision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The robust test against streams whose errors vary beyond independent requests, seeded: the
 * conditions that break the test that assumes independent requests (docs/benchmarks.md has the
 * full comparison over many more runs and noise models).
 */
class RobustRateTestTest {

    private static final SequentialRateTest.Robustness ROBUST = SequentialRateTest.Robustness.DEFAULT;

    /** Errors in bursts: on average every 90 s, 2-10 s at 6x the rate, with the mean rate 1%. */
    private static final class Bursts {
        private final Sampling draw;
        private int left;

        Bursts(Sampling draw) {
            this.draw = draw;
        }

        double rate() {
            if (left == 0 && draw.uniform() < 1 / 90.0) {
                left = 2 + (int) (draw.uniform() * 9);
            }
            double mean = 1 + 5 * 6 / 90.0;
            if (left > 0) {
                left--;
                return 0.06 / mean;
            }
            return 0.01 / mean;
        }
    }

    /** The stable version's hour before the release: errors and requests per second at 400 req/s. */
    private static Dispersion hour(Sampling draw, boolean bursty) {
        Bursts bursts = new Bursts(draw);
        double[] errors = new double[3_600];
        double[] requests = new double[3_600];
        for (int t = 0; t < 3_600; t++) {
            int n = draw.poisson(400);
            requests[t] = n;
            errors[t] = draw.binomial(n, bursty ? bursts.rate() : 0.01);
        }
        return Dispersion.ofHistory(errors, requests, 1, 5);
    }

    /** How many of {@code runs} A/A comparisons with bursty errors (30 minutes, 50 req/s each) FAILED. */
    private static int bursty(SequentialRateTest test, long seed, int runs, boolean history) {
        Sampling draw = new Sampling(seed);
        int failed = 0;
        for (int run = 0; run < runs; run++) {
            RateTestState s = test.robust() ? test.start(history ? hour(draw, true) : Dispersion.NONE) : test.start();
            Bursts canary = new Bursts(draw);
            Bursts baseline = new Bursts(draw);
            for (int t = 1; t <= 1_800; t++) {
                int nC = draw.poisson(50);
                int nB = draw.poisson(50);
                s = test.update(s, t, draw.binomial(nC, canary.rate()), nC, draw.binomial(nB, baseline.rate()), nB);
                Decision d = test.decide(s);
                if (d == Decision.FAIL) {
                    failed++;
                }
                if (d != Decision.CONTINUE) {
                    break;
                }
            }
        }
        return failed;
    }

    @Test
    void burstyErrorsOfAHealthyCanaryFailTheIndependentRequestsTestButNotTheRobustOne() {
        int runs = 200;
        int independent = bursty(new SequentialRateTest(0.01, 0.01, 1.0, 0.001), 7, runs, false);
        int robust = bursty(new SequentialRateTest(0.01, 0.01, 1.0, 0.001, ROBUST), 7, runs, true);
        int robustNoHistory = bursty(new SequentialRateTest(0.01, 0.01, 1.0, 0.001, ROBUST), 7, runs, false);
        assertThat(independent).as("the assumption broken: far above alpha = 1%").isGreaterThan(runs / 20);
        // alpha plus three standard errors of 200 runs: 1% + 2.1%
        assertThat(robust).as("with the stable version's hour of history").isLessThanOrEqualTo(6);
        assertThat(robustNoHistory).as("without history").isLessThanOrEqualTo(6);
    }

    /** Seconds until a 5x canary (1% -> 5%, 50 req/s each, clean) FAILED, or -1. */
    private static int fiveFold(SequentialRateTest test, RateTestState start, long seed) {
        Sampling draw = new Sampling(seed);
        RateTestState s = start;
        for (int t = 1; t <= 1_800; t++) {
            int nC = draw.poisson(50);
            int nB = draw.poisson(50);
            s = test.update(s, t, draw.binomial(nC, 0.05), nC, draw.binomial(nB, 0.01), nB);
            if (test.decide(s) == Decision.FAIL) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void withACleanHourOfHistoryItFailsAFivefoldCanaryInSecondsAndWithoutItInMinutes() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0, 0.001, ROBUST);
        int[] withHistory = new int[21];
        int[] without = new int[21];
        for (int i = 0; i < withHistory.length; i++) {
            withHistory[i] = fiveFold(test, test.start(hour(new Sampling(100 + i), false)), i);
            without[i] = fiveFold(test, test.start(), i);
        }
        java.util.Arrays.sort(withHistory);
        java.util.Arrays.sort(without);
        assertThat(withHistory[0]).as("every run FAILED").isPositive();
        assertThat(without[0]).as("every run FAILED").isPositive();
        assertThat(withHistory[10]).as("median seconds with history").isLessThanOrEqualTo(15);
        assertThat(without[10]).as("median seconds without history").isBetween(30, 300);
    }

    @Test
    void noSingleBlockCarriesTheEvidenceToFailHoweverBadItLooks() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0, 0.001, ROBUST);
        RateTestState s = test.start(hour(new Sampling(3), false));
        // five seconds in which every canary request failed, one block ([10 s, 15 s))
        for (int t = 10; t < 15; t++) {
            s = test.update(s, t, 50, 50, 0, 50);
        }
        assertThat(test.decide(s)).isEqualTo(Decision.CONTINUE);
        assertThat(Math.log(test.eFail(s))).isLessThanOrEqualTo(ROBUST.capShare() * Math.log(100) + 1e-9);
        // the same again in the next block: now it is evidence over time
        for (int t = 15; t < 20; t++) {
            s = test.update(s, t, 50, 50, 0, 50);
        }
        assertThat(test.decide(s)).isEqualTo(Decision.FAIL);
    }

    @Test
    void aStretchWithoutExposureOnOneSideIsKeptAndFoldedWithTheNextNotDropped() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0, 0, ROBUST);
        RateTestState s = test.start();
        s = test.update(s, 1, 1, 1, 0, 0);   // the canary's only request failed; baseline had none
        assertThat(s.pending()).containsExactly(1, 1, 0, 0);
        assertThat(test.eFail(s)).isEqualTo(1.0);
        s = test.update(s, 2, 0, 0, 0, 1);   // baseline's request, fine: both stretches fold together
        assertThat(s.pending()).isNull();
        assertThat(test.eFail(s)).isGreaterThan(1.0);
        assertThat(s.canaryEvents()).isEqualTo(1);
        assertThat(s.baselineExposure()).isEqualTo(1);

        SequentialRateTest independent = new SequentialRateTest(0.01, 0.01, 1.0, 0);
        RateTestState p = independent.update(independent.start(), 1, 1, 0, 0);
        p = independent.update(p, 0, 0, 0, 1);
        RateTestState once = independent.update(independent.start(), 1, 1, 0, 1);
        assertThat(independent.eFail(p)).isEqualTo(independent.eFail(once));
    }

    @Test
    void dispersionIsNearZeroForPoissonHistoryAndFindsTheVarianceOfANoisyRate() {
        Sampling draw = new Sampling(11);
        double[] errors = new double[3_600];
        double[] requests = new double[3_600];
        double[] noisyErrors = new double[3_600];
        double multiplier = 1;
        for (int t = 0; t < 3_600; t++) {
            int n = draw.poisson(200);
            requests[t] = n;
            errors[t] = draw.binomial(n, 0.02);
            if (t % 5 == 0) {
                multiplier = Math.exp(0.5 * draw.gaussian() - 0.125); // variance of the multiplier: e^0.25 - 1
            }
            noisyErrors[t] = draw.binomial(n, 0.02 * multiplier);
        }
        SequentialRateTest.Robustness dataOnly = new SequentialRateTest.Robustness(5, 0, 0, 0, 0.6);
        double[] clean = Dispersion.ofHistory(errors, requests, 1, 5).estimates(dataOnly);
        double[] noisy = Dispersion.ofHistory(noisyErrors, requests, 1, 5).estimates(dataOnly);
        assertThat(clean[0]).as("Poisson: upper estimate of c at 5 s").isLessThan(0.03);
        assertThat(noisy[0]).as("c = e^0.25 - 1 = 0.28 at 5 s").isBetween(0.2, 0.4);
        assertThat(noisy[2]).as("independent from block to block: smaller at 2 min").isLessThan(noisy[0]);
    }

    @Test
    void theRobustTestNeedsTheTimeOfItsEvidence() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0, 0, ROBUST);
        assertThatThrownBy(() -> test.update(test.start(), 1, 10, 0, 10)).isInstanceOf(IllegalStateException.class);
    }
}
