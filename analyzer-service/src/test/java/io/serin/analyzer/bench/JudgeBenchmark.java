package io.serin.analyzer.bench;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.analyzer.analysis.stats.MannWhitney;
import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.analyzer.analysis.stats.Sampling;
import io.serin.analyzer.analysis.stats.SequentialRateTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Judge quality over the scenarios of docs/TARGETS: equal Poisson traffic to canary and baseline,
 * fault present from the start, 30-minute horizon, fixed seeds. Each run feeds the same simulated
 * second-by-second stream to three decision rules:
 * <ul>
 * <li>Serin: {@link SequentialRateTest} (α = β = 0.01, margin 1.0, and for error rates the judge's
 * default negligible rate of 0.1%) after every second; for latency on the share of requests above the
 * baseline's p99, fixed from its first 1,000 observations;</li>
 * <li>Flagger-style: every 60 s the canary's last minute against an absolute bound (success ≥ 98%, p99
 * ≤ 500 ms), failed at the first failed check (threshold 1), no data is a failed check, passed at the
 * horizon;</li>
 * <li>Kayenta-style: every 5 min a two-sided Mann-Whitney test (98% confidence) of the per-minute
 * values of canary vs baseline since the start; failed when the canary is higher, no data fails,
 * passed at the horizon.</li>
 * </ul>
 * Not a test: run {@code java -cp target/classes:target/test-classes io.serin.analyzer.bench.JudgeBenchmark [runs]}
 * after {@code mvn -pl analyzer-service verify}. Prints a Markdown table.
 */
public final class JudgeBenchmark {

    static final int HORIZON = 1_800;
    static final double MEDIAN = 0.1;
    static final double SIGMA = 0.5; // p99 = 0.1 * e^(2.326 * 0.5) = 0.32 s
    /** The sequential judge's default for ratio measures (errors per request). */
    static final double NEGLIGIBLE_RATE = 0.001;

    enum Outcome { FAILED, SUCCESSFUL, INCONCLUSIVE }

    record Result(Outcome outcome, int second) {
    }

    record Scenario(String name, double rps, double baselineErrors, double canaryErrors, double latencyFactor,
            boolean latency) {
    }

    private JudgeBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        List<Scenario> scenarios = List.of(
                new Scenario("healthy, 1% errors, 50 req/s", 50, 0.01, 0.01, 1, false),
                new Scenario("2x error rate (1% -> 2%)", 50, 0.01, 0.02, 1, false),
                new Scenario("5x error rate (1% -> 5%)", 50, 0.01, 0.05, 1, false),
                new Scenario("healthy latency (p99 320 ms)", 50, 0, 0, 1, true),
                new Scenario("p99 latency +25% (320 -> 400 ms)", 50, 0, 0, 1.25, true),
                new Scenario("healthy, no errors at all, 50 req/s", 50, 0, 0, 1, false),
                new Scenario("new errors (0% -> 0.5%)", 50, 0, 0.005, 1, false),
                new Scenario("healthy, 1% errors, 1 req/s", 1, 0.01, 0.01, 1, false),
                new Scenario("no traffic", 0, 0.01, 0.01, 1, false));
        System.out.println("| scenario | rule | FAILED | SUCCESSFUL | INCONCLUSIVE | median time to FAILED | "
                + "median time to SUCCESSFUL |");
        System.out.println("|---|---|---|---|---|---|---|");
        long seed = 20261122;
        for (Scenario scenario : scenarios) {
            int n = scenario.latency() ? Math.max(1, runs / 2) : runs;
            List<List<Result>> byRule = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int run = 0; run < n; run++) {
                List<Result> r = run(scenario, new Sampling(seed++));
                for (int k = 0; k < 3; k++) {
                    byRule.get(k).add(r.get(k));
                }
            }
            String[] names = {"Serin sequential", "Flagger-style", "Kayenta-style"};
            for (int k = 0; k < 3; k++) {
                System.out.println(row(scenario.name() + " (" + n + " runs)", names[k], byRule.get(k)));
            }
        }
    }

    static String row(String scenario, String rule, List<Result> results) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |", scenario, rule,
                share(results, Outcome.FAILED), share(results, Outcome.SUCCESSFUL),
                share(results, Outcome.INCONCLUSIVE), median(results, Outcome.FAILED),
                median(results, Outcome.SUCCESSFUL));
    }

    private static String share(List<Result> results, Outcome o) {
        return String.format(Locale.ROOT, "%.1f%%",
                100.0 * results.stream().filter(r -> r.outcome() == o).count() / results.size());
    }

    private static String median(List<Result> results, Outcome o) {
        int[] t = results.stream().filter(r -> r.outcome() == o).mapToInt(Result::second).sorted().toArray();
        return t.length == 0 ? "-" : t[t.length / 2] + " s";
    }

    /** One simulated release, judged by the three rules on the same stream: [Serin, Flagger, Kayenta]. */
    static List<Result> run(Scenario s, Sampling draw) {
        SequentialRateTest test = new SequentialRateTest(0.01, 0.01, 1.0, s.latency() ? 0 : NEGLIGIBLE_RATE);
        RateTestState state = test.start();
        Result serin = null;
        Result flagger = null;
        Result kayenta = null;
        LogHistogram warmUp = LogHistogram.EMPTY;
        Double threshold = null;
        double minuteRequests = 0;
        double minuteErrors = 0;
        double minuteBaseRequests = 0;
        double minuteBaseErrors = 0;
        List<Double> minuteCanaryLatencies = new ArrayList<>();
        List<Double> minuteBaseLatencies = new ArrayList<>();
        List<Double> canaryMinutes = new ArrayList<>();
        List<Double> baselineMinutes = new ArrayList<>();
        for (int t = 1; t <= HORIZON; t++) {
            int nC = draw.poisson(s.rps());
            int nB = draw.poisson(s.rps());
            double xC;
            double xB;
            double eC = 0;
            double eB = 0;
            if (s.latency()) {
                double[] canary = latencies(draw, nC, MEDIAN * s.latencyFactor());
                double[] base = latencies(draw, nB, MEDIAN);
                for (double v : canary) {
                    minuteCanaryLatencies.add(v);
                }
                for (double v : base) {
                    minuteBaseLatencies.add(v);
                }
                if (threshold == null) {
                    for (double v : base) {
                        warmUp = warmUp.add(v, 1);
                    }
                    if (warmUp.total() >= 1_000) {
                        threshold = warmUp.quantile(0.99);
                    }
                    nC = 0; // nothing is counted until the threshold is known
                    nB = 0;
                } else {
                    double limit = threshold;
                    eC = Arrays.stream(canary).filter(v -> v > limit).count();
                    eB = Arrays.stream(base).filter(v -> v > limit).count();
                }
                xC = eC;
                xB = eB;
            } else {
                xC = draw.binomial(nC, s.canaryErrors());
                xB = draw.binomial(nB, s.baselineErrors());
            }
            if (serin == null) {
                state = test.update(state, xC, nC, xB, nB);
                SequentialRateTest.Decision d = test.decide(state);
                if (d == SequentialRateTest.Decision.FAIL) {
                    serin = new Result(Outcome.FAILED, t);
                } else if (d == SequentialRateTest.Decision.PASS) {
                    serin = new Result(Outcome.SUCCESSFUL, t);
                }
            }
            if (!s.latency()) {
                minuteRequests += nC;
                minuteErrors += xC;
                minuteBaseRequests += nB;
                minuteBaseErrors += xB;
            }
            if (t % 60 == 0) {
                double canaryValue;
                double baseValue;
                boolean noData;
                boolean flaggerFails;
                if (s.latency()) {
                    noData = minuteCanaryLatencies.isEmpty() || minuteBaseLatencies.isEmpty();
                    canaryValue = p99(minuteCanaryLatencies);
                    baseValue = p99(minuteBaseLatencies);
                    flaggerFails = minuteCanaryLatencies.isEmpty() || canaryValue > 0.5;
                } else {
                    noData = minuteRequests == 0 || minuteBaseRequests == 0;
                    canaryValue = minuteRequests == 0 ? 0 : minuteErrors / minuteRequests;
                    baseValue = minuteBaseRequests == 0 ? 0 : minuteBaseErrors / minuteBaseRequests;
                    flaggerFails = minuteRequests == 0 || 1 - canaryValue < 0.98;
                }
                if (flagger == null && flaggerFails) {
                    flagger = new Result(Outcome.FAILED, t);
                }
                if (!noData) {
                    canaryMinutes.add(canaryValue);
                    baselineMinutes.add(baseValue);
                }
                if (kayenta == null && t % 300 == 0) {
                    if (canaryMinutes.size() < 3) {
                        kayenta = new Result(Outcome.FAILED, t); // no data fails the canary run
                    } else {
                        MannWhitney.Result r = MannWhitney.test(toArray(canaryMinutes), toArray(baselineMinutes));
                        if (r.pTwoSided() < 0.02 && r.z() > 0) {
                            kayenta = new Result(Outcome.FAILED, t);
                        }
                    }
                }
                minuteRequests = 0;
                minuteErrors = 0;
                minuteBaseRequests = 0;
                minuteBaseErrors = 0;
                minuteCanaryLatencies.clear();
                minuteBaseLatencies.clear();
            }
        }
        return List.of(serin == null ? new Result(Outcome.INCONCLUSIVE, HORIZON) : serin,
                flagger == null ? new Result(Outcome.SUCCESSFUL, HORIZON) : flagger,
                kayenta == null ? new Result(Outcome.SUCCESSFUL, HORIZON) : kayenta);
    }

    private static double[] latencies(Sampling draw, int n, double median) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = draw.logNormal(median, SIGMA);
        }
        return v;
    }

    private static double p99(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = toArray(values);
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(0.99 * v.length) - 1)];
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
