package io.serin.analyzer.analysis.stats;

import java.util.Arrays;

/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of two independent samples, with the normal
 * approximation corrected for ties and continuity, as Kayenta's classifier uses it. A fixed-horizon
 * test: its p-value is valid for one look; re-judging a growing window inflates false alarms.
 */
public final class MannWhitney {

    /**
     * @param u        U statistic of the first sample (count of pairs where it is larger, ties ½)
     * @param z        standardized U; positive when the first sample tends to be larger
     * @param pGreater one-sided p-value of "the first sample is not stochastically larger"
     * @param pLess    one-sided p-value of "the first sample is not stochastically smaller"
     */
    public record Result(double u, double z, double pGreater, double pLess) {

        public double pTwoSided() {
            return Math.min(1, 2 * Math.min(pGreater, pLess));
        }
    }

    private MannWhitney() {
    }

    public static Result test(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("both samples need values, got " + n1 + " and " + n2);
        }
        int n = n1 + n2;
        double[][] all = new double[n][];
        for (int i = 0; i < n1; i++) {
            all[i] = new double[] {x[i], 0};
        }
        for (int i = 0; i < n2; i++) {
            all[n1 + i] = new double[] {y[i], 1};
        }
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double rankSumX = 0;
        double tieTerm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && all[j + 1][0] == all[i][0]) {
                j++;
            }
            double rank = (i + j + 2) / 2.0;
            int t = j - i + 1;
            tieTerm += (double) t * t * t - t;
            for (int k = i; k <= j; k++) {
                if (all[k][1] == 0) {
                    rankSumX += rank;
                }
            }
            i = j + 1;
        }
        double u = rankSumX - n1 * (n1 + 1) / 2.0;
        double mean = n1 * (double) n2 / 2;
        double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (var <= 0) {
            return new Result(u, 0, 1, 1);
        }
        double sd = Math.sqrt(var);
        double z = (u - mean) / sd;
        double pGreater = Normal.upperTail((u - mean - 0.5) / sd);
        double pLess = Normal.cdf((u - mean + 0.5) / sd);
        return new Result(u, z, Math.min(1, pGreater), Math.min(1, pLess));
    }
}
