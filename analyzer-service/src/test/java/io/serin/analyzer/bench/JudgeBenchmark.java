package io.serin.analyzer.bench;

import io.serin.analyzer.analysis.stats.Dispersion;
import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.analyzer.analysis.stats.MannWhitney;
import io.serin.analyzer.analysis.stats.Normal;
import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.analyzer.analysis.stats.Sampling;
import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.analyzer.analysis.stats.TestableThreshold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Judge quality over simulated releases: canary and baseline get equal Poisson traffic, the fault (if
 * any) is present from the start, 30-minute horizon, fixed seeds. Each run feeds the same simulated
 * second-by-second stream to every rule:
 * <ul>
 * <li>Serin robust (the default): {@link SequentialRateTest} with {@link SequentialRateTest.Robustness#DEFAULT},
 * α = β = 0.01, margin 1.0, for error rates the judge's default negligible rate of 0.1%, evaluated every
 * second; with the stable version's history (the {@value #HISTORY} s before the release, at 8× the
 * compared variant's traffic, with the same kind of noise) and without any history;</li>
 * <li>Serin independent: the same test assuming independent requests (the judge's {@code robust: false});</li>
 * <li>Flagger-style: every 60 s the canary's last minute against an absolute bound (success ≥ 98%, p99
 * ≤ 500 ms), failed at the first failed check (threshold 1), no data is a failed check, passed at the
 * horizon;</li>
 * <li>Kayenta-style: every 5 min a two-sided Mann-Whitney test (98% confidence) of the per-minute
 * values of canary vs baseline since the start; failed when the canary is higher, no data fails,
 * passed at the horizon.</li>
 * </ul>
 * Noise models ({@link Noise.Kind}) vary each variant's error rate on its own, with equal means: the
 * A/A scenarios are healthy canaries and every FAILED is a false failure.
 * Not a test: run {@code java -cp target/classes:target/test-classes:$(cat target/bench.classpath)
 * io.serin.analyzer.bench.JudgeBenchmark [runs] [scenario filter]} after {@code mvn -pl analyzer-service verify}.
 * Prints a Markdown table.
 */
public final class JudgeBenchmark {

    static final int HORIZON = 1_800;
    static final int HISTORY = 3_600;
    static final int HISTORY_TRAFFIC = 8;
    /** The step of the history: the Prometheus source's round interval, 30 s by default. */
    static final int HISTORY_STEP = 30;
    static final double MEDIAN = 0.1;
    static final double SIGMA = 0.5; // p99 = 0.1 * e^(2.326 * 0.5) = 0.32 s
    /** The sequential judge's default for ratio measures (errors per request). */
    static final double NEGLIGIBLE_RATE = 0.001;

    enum Outcome { FAILED, SUCCESSFUL, INCONCLUSIVE }

    enum Rule {
        ROBUST("Serin robust, with history"),
        ROBUST_NO_HISTORY("Serin robust, no history"),
        INDEPENDENT("Serin independent-requests test"),
        FLAGGER("Flagger-style"),
        KAYENTA("Kayenta-style");

        final String label;

        Rule(String label) {
            this.label = label;
        }
    }

    record Result(Outcome outcome, int second) {
    }

    record Scenario(String name, double rps, double baselineErrors, double canaryErrors, double latencyFactor,
            boolean latency, Noise.Kind noise, boolean coarse) {

        static Scenario errors(String name, double rps, double baseline, double canary, Noise.Kind noise) {
            return new Scenario(name, rps, baseline, canary, 1, false, noise, false);
        }

        static Scenario latency(String name, double factor, boolean coarse) {
            return new Scenario(name, 50, 0, 0, factor, true, Noise.Kind.NONE, coarse);
        }
    }

    /** Istio's default request-duration buckets, in seconds. */
    static final double[] ISTIO = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
            300, 600, 1800, 3600};

    private JudgeBenchmark() {
    }

    static List<Scenario> scenarios() {
        List<Scenario> list = new ArrayList<>();
        Noise.Kind clean = Noise.Kind.NONE;
        list.add(Scenario.errors("healthy, 1% errors, 50 req/s", 50, 0.01, 0.01, clean));
        list.add(Scenario.errors("2x error rate (1% -> 2%)", 50, 0.01, 0.02, clean));
        list.add(Scenario.errors("5x error rate (1% -> 5%)", 50, 0.01, 0.05, clean));
        list.add(Scenario.errors("1.25x error rate", 50, 0.01, 0.0125, clean));
        list.add(Scenario.errors("1.5x error rate", 50, 0.01, 0.015, clean));
        list.add(Scenario.errors("1.75x error rate", 50, 0.01, 0.0175, clean));
        list.add(Scenario.latency("healthy latency (p99 320 ms)", 1, false));
        list.add(Scenario.latency("p99 latency +25% (320 -> 400 ms)", 1.25, false));
        list.add(Scenario.latency("healthy latency, Istio's default buckets", 1, true));
        list.add(Scenario.latency("p99 latency +25%, Istio's default buckets", 1.25, true));
        list.add(Scenario.errors("healthy, no errors at all, 50 req/s", 50, 0, 0, clean));
        list.add(Scenario.errors("new errors (0% -> 0.5%)", 50, 0, 0.005, clean));
        list.add(Scenario.errors("healthy, 1% errors, 1 req/s", 1, 0.01, 0.01, clean));
        list.add(Scenario.errors("healthy, 1% errors, 0.2 req/s", 0.2, 0.01, 0.01, clean));
        list.add(Scenario.errors("5x error rate at 0.2 req/s", 0.2, 0.01, 0.05, clean));
        list.add(Scenario.errors("no traffic", 0, 0.01, 0.01, clean));
        for (Noise.Kind noise : Noise.Kind.values()) {
            if (noise == clean) {
                continue;
            }
            for (double rps : new double[] {50, 1, 0.2}) {
                list.add(Scenario.errors("A/A " + noise.label + ", 1% errors, " + count(rps) + " req/s", rps, 0.01,
                        0.01, noise));
            }
            list.add(Scenario.errors("5x error rate, " + noise.label, 50, 0.01, 0.05, noise));
            list.add(Scenario.errors("2x error rate, " + noise.label, 50, 0.01, 0.02, noise));
        }
        return list;
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        String filter = args.length > 1 ? args[1] : "";
        System.out.println("| scenario | rule | FAILED | SUCCESSFUL | INCONCLUSIVE | median time to FAILED | "
                + "median time to SUCCESSFUL |");
        System.out.println("|---|---|---|---|---|---|---|");
        long seed = 20261122;
        for (Scenario scenario : scenarios()) {
            if (!scenario.name().contains(filter)) {
                continue;
            }
            int n = scenario.latency() ? Math.max(1, runs / 2) : runs;
            long first = seed;
            seed += n;
            List<List<Result>> all = IntStream.range(0, n).parallel()
                    .mapToObj(run -> run(scenario, first + run)).toList();
            for (Rule rule : Rule.values()) {
                List<Result> byRule = all.stream().map(r -> r.get(rule.ordinal())).toList();
                System.out.println(row(scenario.name() + " (" + n + " runs)", rule.label, byRule));
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

    private static String count(double rps) {
        return rps == Math.rint(rps) ? String.valueOf((long) rps) : String.valueOf(rps);
    }

    /** The stable version's history: {@value #HISTORY} seconds of errors and requests, its own noise. */
    static Dispersion history(Scenario s, Sampling draw) {
        // Latency: the stable version's requests slower than the bound its hour of history gives (the
        // share above it is known from a million observations: 1% above the p99, ~3.3% above 250 ms)
        double rate = s.latency() ? shareAbove(historyBound(s)) : s.baselineErrors();
        Noise noise = s.noise().create();
        double[] events = new double[HISTORY];
        double[] requests = new double[HISTORY];
        for (int t = 0; t < HISTORY; t++) {
            int n = draw.poisson(s.rps() * HISTORY_TRAFFIC);
            requests[t] = n;
            events[t] = draw.binomial(n, Math.min(1, rate * noise.next(draw)));
        }
        // as the Prometheus source sends it: one value per round interval (default 30 s)
        double[] stepEvents = new double[HISTORY / HISTORY_STEP];
        double[] stepRequests = new double[HISTORY / HISTORY_STEP];
        for (int t = 0; t < HISTORY; t++) {
            stepEvents[t / HISTORY_STEP] += events[t];
            stepRequests[t / HISTORY_STEP] += requests[t];
        }
        return Dispersion.ofHistory(stepEvents, stepRequests, HISTORY_STEP,
                SequentialRateTest.Robustness.DEFAULT.blockSeconds());
    }

    /** The bound an hour of history gives a latency check: the p99 itself, or with Istio's buckets 250 ms. */
    static double historyBound(Scenario s) {
        return s.coarse() ? 0.25 : MEDIAN * Math.exp(SIGMA * 2.3263);
    }

    /** The share of healthy latencies above {@code bound}. */
    static double shareAbove(double bound) {
        return 1 - Normal.cdf(Math.log(bound / MEDIAN) / SIGMA);
    }

    /** Where a latency lands: itself, or with Istio's buckets the bucket's upper bound. */
    static double observed(Scenario s, double latency) {
        if (!s.coarse()) {
            return latency;
        }
        for (double b : ISTIO) {
            if (latency <= b) {
                return b;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** One simulated release, judged by every rule on the same stream, in the order of {@link Rule}. */
    static List<Result> run(Scenario s, long seed) {
        Sampling draw = new Sampling(seed);
        double floor = s.latency() ? 0 : NEGLIGIBLE_RATE;
        SequentialRateTest robust = new SequentialRateTest(0.01, 0.01, 1.0, floor,
                SequentialRateTest.Robustness.DEFAULT);
        SequentialRateTest independent = new SequentialRateTest(0.01, 0.01, 1.0, floor);
        RateTestState withHistory = robust.start(history(s, draw));
        RateTestState noHistory = robust.start();
        RateTestState plain = independent.start();
        Result[] serin = new Result[3];
        Result flagger = null;
        Result kayenta = null;
        Noise canaryNoise = s.noise().create();
        Noise baselineNoise = s.noise().create();
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
            double xCh = 0;
            double xBh = 0;
            int nCh = nC;
            int nBh = nB;
            if (s.latency()) {
                double[] canary = latencies(draw, nC, MEDIAN * s.latencyFactor());
                double[] base = latencies(draw, nB, MEDIAN);
                for (double v : canary) {
                    minuteCanaryLatencies.add(v);
                }
                for (double v : base) {
                    minuteBaseLatencies.add(v);
                }
                // with history the bound is known from the start; without, from the baseline's first
                // 1,000 observations (those are not tested), the analyzer's rule for both
                double known = historyBound(s);
                xCh = Arrays.stream(canary).filter(v -> v > known).count();
                xBh = Arrays.stream(base).filter(v -> v > known).count();
                if (threshold == null) {
                    for (double v : base) {
                        warmUp = warmUp.add(observed(s, v), 1);
                    }
                    if (warmUp.total() >= 1_000) {
                        int index = TestableThreshold.choose(warmUp, 0.99);
                        threshold = s.coarse() ? bound(index) : LogHistogram.roundest(index);
                    }
                    xC = 0;
                    xB = 0;
                    nC = 0; // nothing is counted until the threshold is known
                    nB = 0;
                } else {
                    double limit = threshold;
                    xC = Arrays.stream(canary).filter(v -> v > limit).count();
                    xB = Arrays.stream(base).filter(v -> v > limit).count();
                }
            } else {
                xC = draw.binomial(nC, Math.min(1, s.canaryErrors() * canaryNoise.next(draw)));
                xB = draw.binomial(nB, Math.min(1, s.baselineErrors() * baselineNoise.next(draw)));
                xCh = xC;
                xBh = xB;
            }
            if (serin[0] == null) {
                withHistory = robust.update(withHistory, t, xCh, nCh, xBh, nBh);
                serin[0] = decided(robust.decide(withHistory), t);
            }
            if (serin[1] == null) {
                noHistory = robust.update(noHistory, t, xC, nC, xB, nB);
                serin[1] = decided(robust.decide(noHistory), t);
            }
            if (serin[2] == null) {
                plain = independent.update(plain, t, xC, nC, xB, nB);
                serin[2] = decided(independent.decide(plain), t);
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
        List<Result> out = new ArrayList<>();
        for (Result r : serin) {
            out.add(r == null ? new Result(Outcome.INCONCLUSIVE, HORIZON) : r);
        }
        out.add(flagger == null ? new Result(Outcome.SUCCESSFUL, HORIZON) : flagger);
        out.add(kayenta == null ? new Result(Outcome.SUCCESSFUL, HORIZON) : kayenta);
        return out;
    }

    private static Result decided(SequentialRateTest.Decision d, int t) {
        return switch (d) {
            case FAIL -> new Result(Outcome.FAILED, t);
            case PASS -> new Result(Outcome.SUCCESSFUL, t);
            case CONTINUE -> null;
        };
    }

    /** The Istio bound in sketch bucket {@code index}. */
    private static double bound(int index) {
        for (double b : ISTIO) {
            if (LogHistogram.index(b) == index) {
                return b;
            }
        }
        return LogHistogram.upperBound(index);
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
