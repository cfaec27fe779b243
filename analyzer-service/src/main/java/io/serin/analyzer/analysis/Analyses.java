package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.Dispersion;
import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.analyzer.analysis.stats.SequentialRateTest;
import io.serin.analyzer.analysis.stats.TestableThreshold;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSample;
import io.serin.events.SourceProblem;
import io.serin.events.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The analyzer's decisions, free of Kafka: start an analysis, fold a sample into it by event time,
 * decide early when a sequential test (or a critical comparison) has decided, and otherwise once the
 * window (plus a grace period for late samples) has passed.
 *
 * <p>Comparing judges see the variants over the same stretches of event time: samples are summed
 * into buckets ({@code bucket} wide), and a bucket is folded into the judges once every series the
 * checks read has reached its end, or once any series is {@code grace} past it. A sample for a bucket
 * already folded still counts for the window's totals, not for the comparing judges, and is counted as
 * late. A sample changes only its own series' state ({@link SeriesState}), and the analysis' head
 * ({@link AnalysisHead}) when it closes a bucket.
 */
public final class Analyses {

    private final Duration grace;
    private final long graceMillis;
    private final long bucketMillis;

    /** @param grace how long after the window's end late samples are still counted */
    public Analyses(Duration grace) {
        this(grace, Duration.ofSeconds(1));
    }

    /**
     * @param grace  how long late samples still count: after a bucket (for comparing judges) and after the window
     * @param bucket width of the event-time buckets in which comparing judges see the variants side by side
     */
    public Analyses(Duration grace, Duration bucket) {
        this.grace = grace;
        this.graceMillis = grace.toMillis();
        this.bucketMillis = Math.max(1, bucket.toMillis());
    }

    public AnalysisState start(AnalysisCommand.Start command) {
        List<MetricCheck> checks = command.metrics().stream().map(Judges::withDefaults).toList();
        return AnalysisState.started(new AnalysisHead(command.analysisId(), command.releaseId(), command.startAt(),
                command.startAt().plus(command.duration()), checks, checks.stream().map(Judges::start).toList(),
                beforeStart(command.startAt()), Map.of(), 0));
    }

    /** The bucket that ends where the window starts: a sample stamped with the start counts its interval. */
    private long beforeStart(Instant startAt) {
        return Math.floorDiv(startAt.toEpochMilli(), bucketMillis) - 1;
    }

    /** A check as the analyzer runs it: the variant and the compared variant filled in where absent. */
    public static MetricCheck withDefaults(MetricCheck check) {
        return Judges.withDefaults(check);
    }

    /**
     * Folds one sample in; samples outside the window, or of no series the checks read, leave the state
     * as is. Only the sample's series changes, and the head when the sample closes a bucket, fixes a
     * threshold or comes too late for its bucket ({@link AnalysisState#late()} counts those).
     */
    public AnalysisState add(AnalysisState state, MetricSample sample) {
        if (sample.time() == null || sample.time().isBefore(state.startAt()) || sample.time().isAfter(state.endAt())
                || sample.variant() == null || sample.metric() == null) {
            return state;
        }
        SeriesLayout layout = state.layout();
        int slot = layout.slot(sample.variant(), sample.metric());
        if (slot < 0) {
            return state;
        }
        AnalysisHead head = state.head();
        long time = sample.time().toEpochMilli();
        SeriesState series = state.series(slot);
        LogHistogram sketch = layout.sketched(slot) ? SampleSums.observe(series.sketch(), sample) : series.sketch();
        SeriesState next = series.withSample(sample.value(), time, sketch);
        // A sample's time is the end of the interval it counts: one stamped 10:00:01 belongs to [10:00:00, 10:00:01).
        long bucket = Math.floorDiv(time - 1, bucketMillis);
        if (bucket > head.folded()) {
            next = next.inBucket(bucket, SampleSums.bucketSums(layout, slot, head, sample), head.folded());
        } else if (bucket > beforeStart(head.startAt())) {
            head = head.withLate();
        }
        return fold(fixThresholds(state.with(slot, next, head), sample), false);
    }

    /**
     * Teaches the robust sequential checks that compare with the history's variant how noisy it was
     * before the analysis: for a ratio measure, its numerator's and denominator's increases per step.
     * Checks it does not concern, decided checks and tests that assume independent requests are left as
     * they are.
     */
    public AnalysisState history(AnalysisState state, MetricHistory history) {
        List<CheckState> checks = null;
        for (int i = 0; i < state.metrics().size(); i++) {
            MetricCheck check = state.metrics().get(i);
            CheckState cs = state.checks().get(i);
            if (cs.decided() != null || cs.test() == null || cs.test().blocks() == null
                    || check.compareTo() != history.variant()) {
                continue;
            }
            CheckState next = null;
            if (check.measure() instanceof Measure.Ratio ratio) {
                next = learn(cs, history, values(history, ratio.numerator(), null),
                        values(history, ratio.denominator(), null));
            } else if (check.measure() instanceof Measure.Latency latency) {
                next = learnLatency(cs, latency, history);
            }
            if (next != null) {
                checks = checks == null ? new ArrayList<>(state.checks()) : checks;
                checks.set(i, next);
            }
        }
        return checks == null ? state
                : state.with(state.head().withChecks(List.copyOf(checks), state.head().folded()));
    }

    /** The check with what events out of exposures per step showed of the noise; null without both. */
    private static CheckState learn(CheckState cs, MetricHistory history, double[] events, double[] exposures) {
        if (events == null || exposures == null) {
            return null;
        }
        return cs.withTest(cs.test().withHistory(Dispersion.ofHistory(events, exposures,
                history.step().toMillis() / 1000.0, SequentialRateTest.Robustness.DEFAULT.blockSeconds())));
    }

    /**
     * A latency check learns from the compared variant's histogram history: unless its threshold is
     * fixed already, it takes it from the history (a bound near the quantile of the whole history, the
     * same rule as {@link #fixThresholds}), then the noise of the share above it.
     */
    private static CheckState learnLatency(CheckState cs, Measure.Latency latency, MetricHistory history) {
        double[] total = values(history, latency.metric(), null);
        if (total == null) {
            return null;
        }
        List<MetricHistory.Series> bounds = history.series().stream()
                .filter(s -> latency.metric().equals(s.metric()) && s.le() != null)
                .sorted((a, b) -> Double.compare(a.le(), b.le())).toList();
        if (bounds.isEmpty()) {
            return null;
        }
        List<HistogramBucket> summed = new ArrayList<>();
        for (MetricHistory.Series b : bounds) {
            summed.add(new HistogramBucket(b.le(), sum(b.values())));
        }
        double all = sum(total);
        Double threshold = cs.threshold();
        CheckState next = cs;
        if (threshold == null) {
            MetricSample whole = new MetricSample(history.releaseId(), history.variant(), latency.metric(), all,
                    history.start(), summed);
            LogHistogram sketch = SampleSums.observe(LogHistogram.EMPTY, whole);
            if (sketch.total() < SequentialJudge.warmUp(latency)) {
                return null;
            }
            threshold = SampleSums.threshold(TestableThreshold.choose(sketch, Measured.quantile(latency)), whole);
            next = cs.withThreshold(threshold);
        }
        double limit = threshold;
        MetricHistory.Series at = bounds.stream().filter(b -> b.le() == limit).findFirst().orElse(null);
        if (at == null) {
            return next == cs ? null : next;
        }
        double[] atOrBelow = values(history, latency.metric(), at.le());
        double[] above = new double[total.length];
        for (int k = 0; k < total.length; k++) {
            above[k] = Math.max(0, total[k] - atOrBelow[k]);
        }
        return learn(next, history, above, total);
    }

    private static double sum(List<Double> values) {
        double sum = 0;
        for (Double v : values) {
            sum += v == null ? 0 : v;
        }
        return sum;
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += Double.isNaN(v) ? 0 : v;
        }
        return sum;
    }

    /** A series' values per step, NaN where not measured; {@code le} null for a counter or a histogram's count. */
    private static double[] values(MetricHistory history, String metric, Double le) {
        for (MetricHistory.Series s : history.series()) {
            if (metric.equals(s.metric()) && Objects.equals(le, s.le())) {
                return s.values().stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
            }
        }
        return null;
    }

    /**
     * Notes that a pulling source could not sample a series the checks read, so a check left without
     * data can say why; problems of another analysis or outside the window leave the state as is.
     */
    public AnalysisState problem(AnalysisState state, SourceProblem problem) {
        if (problem.variant() == null || problem.metric() == null || problem.time() == null
                || (problem.analysisId() != null && !problem.analysisId().equals(state.analysisId()))
                || problem.time().isBefore(state.startAt()) || problem.time().isAfter(state.endAt())) {
            return state;
        }
        if (state.layout().slot(problem.variant(), problem.metric()) < 0) {
            return state;
        }
        String key = SeriesLayout.key(problem.variant(), problem.metric());
        return state.with(state.head().withProblems(SeriesProblems.add(state.problems(), key, problem)));
    }

    /**
     * Fixes a sequential latency check's threshold once enough of the compared variant's observations
     * are in: the bound nearest its quantile at which exceedances can be counted exactly
     * ({@link TestableThreshold}), exact to the {@code le} of the sample that completed the warm-up.
     * Only observations after that are tested, so the ones that chose the threshold are never judged
     * against it.
     *
     * @param sample the sample just added: the compared variant's, when it completed the warm-up
     */
    private static AnalysisState fixThresholds(AnalysisState state, MetricSample sample) {
        List<CheckState> checks = null;
        for (int i = 0; i < state.metrics().size(); i++) {
            MetricCheck check = state.metrics().get(i);
            CheckState cs = state.checks().get(i);
            if (cs.threshold() == null && cs.decided() == null && check.judge() instanceof Judge.Sequential
                    && check.measure() instanceof Measure.Latency latency) {
                LogHistogram sketch = state.sketch(check.compareTo(), latency.metric());
                if (sketch.total() >= SequentialJudge.warmUp(latency)) {
                    checks = checks == null ? new ArrayList<>(state.checks()) : checks;
                    int bound = TestableThreshold.choose(sketch, Measured.quantile(latency));
                    boolean atHand = sample.variant() == check.compareTo()
                            && latency.metric().equals(sample.metric());
                    checks.set(i, cs.withThreshold(SampleSums.threshold(bound, atHand ? sample : null)));
                }
            }
        }
        return checks == null ? state
                : state.with(state.head().withChecks(List.copyOf(checks), state.head().folded()));
    }

    /**
     * Folds the closed buckets, in order, into the checks; {@code all} folds every open bucket (window
     * end). A bucket is closed once every series the checks read has passed its end, or once any series
     * is {@code grace} past it.
     */
    private AnalysisState fold(AnalysisState state, boolean all) {
        int slots = state.layout().size();
        long folded = state.head().folded();
        List<CheckState> checks = null;
        while (true) {
            long next = Long.MAX_VALUE;
            long oldest = Long.MAX_VALUE;
            long watermark = SeriesState.NEVER;
            for (int slot = 0; slot < slots; slot++) {
                SeriesState s = state.series(slot);
                next = Math.min(next, s.firstAfter(folded));
                oldest = Math.min(oldest, s.seen());
                watermark = Math.max(watermark, s.seen());
            }
            if (next == Long.MAX_VALUE) {
                break;
            }
            long end = (next + 1) * bucketMillis;
            if (!all && oldest < end && watermark < end + graceMillis) {
                break;
            }
            checks = checks == null ? new ArrayList<>(state.checks()) : checks;
            Bucket bucket = new Bucket(state, next, bucketMillis);
            for (int i = 0; i < checks.size(); i++) {
                checks.set(i, Judges.onBucket(state.metrics().get(i), i, checks.get(i), bucket, state));
            }
            folded = next;
        }
        return checks == null ? state : state.with(state.head().withChecks(List.copyOf(checks), folded));
    }

    /** True once no further sample can count: the window and its grace period are over. */
    public boolean due(AnalysisState state, Instant now) {
        return !now.isBefore(dueAt(state.endAt()));
    }

    /** When a window ending at {@code endAt}, and its grace period, are over. */
    public Instant dueAt(Instant endAt) {
        return endAt.plus(grace);
    }

    public Duration grace() {
        return grace;
    }

    /**
     * The verdict before the window's end, if there is one: FAILED (or ERROR) as soon as one check
     * decided so, SUCCESSFUL once every check passed; else null.
     */
    public AnalysisVerdict early(AnalysisState state, Instant now) {
        List<MetricEvidence> decided = state.checks().stream().map(CheckState::decided).toList();
        boolean stop = decided.stream().anyMatch(e -> e != null
                && (e.verdict() == Verdict.FAILED || e.verdict() == Verdict.ERROR));
        boolean allPassed = decided.stream().allMatch(e -> e != null && e.verdict() == Verdict.SUCCESSFUL);
        if (!stop && !allPassed) {
            return null;
        }
        List<MetricEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < state.metrics().size(); i++) {
            evidence.add(SeriesProblems.named(state.metrics().get(i),
                    Judges.evidence(state.metrics().get(i), state.checks().get(i), state), state));
        }
        return verdict(state, now, evidence);
    }

    public AnalysisVerdict decide(AnalysisState state, Instant now) {
        AnalysisState last = fold(state, true);
        List<MetricEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < last.metrics().size(); i++) {
            evidence.add(SeriesProblems.named(last.metrics().get(i),
                    Judges.evidence(last.metrics().get(i), last.checks().get(i), last), last));
        }
        return verdict(last, now, evidence);
    }

    private static AnalysisVerdict verdict(AnalysisState state, Instant now, List<MetricEvidence> evidence) {
        Verdict overall = Stream.of(Verdict.FAILED, Verdict.ERROR, Verdict.INCONCLUSIVE)
                .filter(v -> evidence.stream().anyMatch(e -> e.verdict() == v)).findFirst()
                .orElse(Verdict.SUCCESSFUL);
        String reason = evidence.stream().filter(e -> e.verdict() == overall).map(MetricEvidence::reason)
                .collect(Collectors.joining("; "));
        return new AnalysisVerdict(state.analysisId(), state.releaseId(), overall, reason, now, evidence);
    }
}
