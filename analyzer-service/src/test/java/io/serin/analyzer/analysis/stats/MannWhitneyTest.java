package io.serin.analyzer.analysis.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MannWhitneyTest {

    @Test
    void matchesTheTextbookStatisticAndItsNormalApproximation() {
        // 19 of 25 pairs have x > y; mean 12.5, variance 25 * 11 / 12; z = (19 - 12.5 - 0.5) / 4.787 = 1.253
        MannWhitney.Result r = MannWhitney.test(new double[] {3, 5, 7, 9, 11}, new double[] {1, 2, 4, 6, 8});
        assertThat(r.u()).isEqualTo(19);
        assertThat(r.pTwoSided()).isCloseTo(0.2101, within(1e-3));
        assertThat(r.z()).isPositive();
        assertThat(r.pGreater()).isLessThan(r.pLess());
    }

    @Test
    void correctsForTies() {
        // U = 5.5 (ties count one half); tie term 96 gives variance 3 * (13 - 96 / 132) = 36.82, so
        // z = (5.5 - 18 + 0.5) / 6.068 = -1.978 instead of -1.922 without the correction
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 2, 3, 3, 3}, new double[] {2, 3, 4, 4, 5, 5});
        assertThat(r.u()).isEqualTo(5.5);
        assertThat(r.pTwoSided()).isCloseTo(0.0480, within(1e-3));
        assertThat(r.z()).isNegative();
    }

    @Test
    void seesNoDifferenceBetweenIdenticalConstants() {
        MannWhitney.Result r = MannWhitney.test(new double[] {0, 0, 0}, new double[] {0, 0});
        assertThat(r.pTwoSided()).isEqualTo(1.0);
    }
}
