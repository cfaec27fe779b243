package io.serin.analyzer.analysis.stats;

import io.serin.analyzer.analysis.stats.SequentialRateTest.Decision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties of the test itself, many seeded simulated runs each: one batch is one second of
 * traffic, checked after every batch.
 */
class SequentialRateTestTest {

    private static final int RUNS = 2_000;

    /** Share of runs (each up to {@code seconds} long) ending in {@code wanted}, and the median second. */
    private record Outcome(double share, double medianSeconds) {
    }

    private static Outcome simulate(SequentialRateTest test, long seed, int seconds, double canaryRps,
            double canaryRate, double baselineRps, double baselineRate, Decision wanted) {
        Sampling draw = new Sampling(seed);
        int hits = 0;
        int[] at = new int[RUNS];
        for (int run = 0; run < RUNS; run++) {
            RateTestState s = test.start();
            for (int t = 1; t <= seconds; t++) {
                int nC = draw.poisson(canaryRps);
                int nB = draw.poisson(baselineRps);
                s = test.update(s, draw.binomial(nC, canaryRate), nC, draw.binomial(nB, baselineRate), nB);
                Decision d = test.decide(s);
                if (d != Decision.CONTINUE) {
                    if (d == wanted) {
                        at[hits++] = t;
                    }
                    break;
                }
            }
        }
        java.util.Arrays.sort(at, 0, hits);
        return new Outcome(hits / (double) RUNS, hits == 0 ? Double.NaN : at[hits / 2]);
    }

    /** α plus three standard errors of a proportion estimated from {@link #RUNS} runs. */
    private static double atMost(double alpha) {
        return alpha + 3 * Math.sqrt(alpha * (1 - alpha) / RUNS);
    }

    @Test
    void failsAnAaComparisonCheckedAfterEverySecondAtMostAlphaOfTheTime() {
        SequentialRateTest test = new SequentialRateTest(0.05, 0.05, 1.0);
        Outcome aa = simulate(test, 1, 1_800, 20, 0.01, 20, 0.01, Decision.FAIL);
        assertThat(aa.share()).isLessThanOrEqualTo(atMost(0.05));
    }

    @Test
    void staysValidWithUnequalTrafficAndABaseRateThatDrifts() {
        SequentialRateTest test = new SequentialRateTest(0.05, 0.05, 1.0);
        Sampling draw = new Sampling(2);
        int failures = 0;
        for (int run = 0; run < RUNS; run++) {
            RateTestState s = test.start();
            for (int t = 1; t <= 1_200 && test.decide(s) == Decision.CONTINUE; t++) {
                double rate = 0.01 * (1 + 0.9 * Math.sin(t / 60.0)); // both sides share an incident
                int nC = draw.poisson(5);
                int nB = draw.poisson(45);
                s = test.update(s, draw.binomial(nC, rate), nC, draw.binomial(nB, rate), nB);
            }
            failures += test.decide(s) == Decision.FAIL ? 1 : 0;
        }
        assertThat(failures / (double) RUNS).isLessThanOrEqualTo(atMost(0.05));
    }

    @Test
    void catchesACanaryWithTwiceTheBaselineErrorRateWithinAMinuteOrSo() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0);
        Outcome doubled = simulate(test, 3, 1_800, 50, 0.02, 50, 0.01, Decision.FAIL);
        assertThat(doubled.share()).isGreaterThanOrEqualTo(0.99);
        assertThat(doubled.medianSeconds()).isLessThanOrEqualTo(75);
    }

    @Test
    void catchesAFiveFoldErrorRateInSeconds() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0);
        Outcome fivefold = simulate(test, 4, 600, 50, 0.05, 50, 0.01, Decision.FAIL);
        assertThat(fivefold.share()).isGreaterThanOrEqualTo(0.999);
        assertThat(fivefold.medianSeconds()).isLessThanOrEqualTo(12);
    }

    @Test
    void passesAHealthyCanaryWithinTwoAndAHalfMinutesAndRarelyFailsIt() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0);
        Outcome healthy = simulate(test, 5, 1_800, 50, 0.01, 50, 0.01, Decision.PASS);
        assertThat(healthy.share()).isGreaterThanOrEqualTo(0.98);
        assertThat(healthy.medianSeconds()).isLessThanOrEqualTo(150);
        assertThat(simulate(test, 6, 1_800, 50, 0.01, 50, 0.01, Decision.FAIL).share())
                .isLessThanOrEqualTo(atMost(0.01));
    }

    @Test
    void passesACanaryExactlyAtTheMarginAtMostBetaOfTheTime() {
        SequentialRateTest test = new SequentialRateTest(0.05, 0.05, 1.0);
        Outcome atMargin = simulate(test, 7, 1_800, 20, 0.02, 20, 0.01, Decision.PASS);
        assertThat(atMargin.share()).isLessThanOrEqualTo(atMost(0.05));
    }

    @Test
    void passesACanaryAtTheMarginAndAtTheNegligibleRateAtMostBetaOfTheTime() {
        // worse by the margin (2x) and exactly at the negligible rate: neither way of passing may let it through
        SequentialRateTest test = new SequentialRateTest(0.05, 0.05, 1.0, 0.002);
        Outcome atBoth = simulate(test, 8, 1_800, 50, 0.002, 50, 0.001, Decision.PASS);
        assertThat(atBoth.share()).isLessThanOrEqualTo(atMost(0.05));
    }

    @Test
    void passesACanaryWithoutErrorsOnItsOwnRequestsWhenNeitherSideHasAny() {
        SequentialRateTest relativeOnly = new SequentialRateTest(0.01, 0.01, 1.0);
        SequentialRateTest withFloor = new SequentialRateTest(0.01, 0.01, 1.0, 0.001);
        RateTestState a = relativeOnly.start();
        RateTestState b = withFloor.start();
        int passedAt = -1;
        for (int t = 1; t <= 600 && passedAt < 0; t++) {
            a = relativeOnly.update(a, 0, 50, 0, 50);
            b = withFloor.update(b, 0, 50, 0, 50);
            assertThat(relativeOnly.decide(a)).isEqualTo(Decision.CONTINUE);
            if (withFloor.decide(b) == Decision.PASS) {
                passedAt = t;
            }
        }
        // about 7,000 requests without an error: ln(2/beta) / (0.9 * floor), plus the mixture's weight
        assertThat(passedAt).isBetween(100, 180);
        assertThat(withFloor.passedByFloor(b)).isTrue();
    }

    @Test
    void rejectsANegligibleRateOutsideZeroToOne() {
        assertThatThrownBy(() -> new SequentialRateTest(0.01, 0.01, 1.0, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negligible rate");
        assertThatThrownBy(() -> new SequentialRateTest(0.01, 0.01, 1.0, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void learnsNothingWithoutTrafficOrWithoutTheOtherSide() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0);
        RateTestState s = test.start();
        for (int t = 0; t < 1_000; t++) {
            s = test.update(s, 0, 0, 0, 0);
            s = test.update(s, 50, 50, 0, 0); // the canary fails everything, but nothing to compare with
        }
        assertThat(test.decide(s)).isEqualTo(Decision.CONTINUE);
        assertThat(test.eFail(s)).isEqualTo(1.0);
        assertThat(test.pValue(s)).isEqualTo(1.0);
        assertThat(s.canaryEvents()).isEqualTo(50_000);
    }

    @Test
    void keepsADecisionOnceTheEvidenceReachedIt() {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0);
        RateTestState s = test.update(test.start(), 40, 1_000, 2, 1_000);
        assertThat(test.decide(s)).isEqualTo(Decision.FAIL);
        assertThat(test.pValue(s)).isLessThan(0.01);
        s = test.update(s, 0, 100_000, 500, 100_000);
        assertThat(test.decide(s)).isEqualTo(Decision.FAIL);
    }

    @Test
    void rejectsParametersOutsideTheirRange() {
        assertThatThrownBy(() -> new SequentialRateTest(0, 0.01, 1)).hasMessageContaining("alpha 0.0");
        assertThatThrownBy(() -> new SequentialRateTest(0.01, 0.01, 0)).hasMessageContaining("margin 0.0");
    }
}
