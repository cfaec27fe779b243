package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricSample;
import io.serin.events.SourceProblem;
import io.serin.events.Variant;
import io.serin.events.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * already folded still counts for the window's totals, not for the sequential tests.
 */
public final class Analyses {

    private final Duration grace;
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
        this.bucketMillis = Math.max(1, bucket.toMillis());
    }

    public AnalysisState start(AnalysisCommand.Start command) {
        List<MetricCheck> checks = command.metrics().stream().map(Judges::withDefaults).toList();
        return new AnalysisState(command.analysisId(), command.releaseId(), command.startAt(),
                command.startAt().plus(command.duration()), checks, Map.of(), Map.of(),
                checks.stream().map(Judges::start).toList(), Map.of(), Map.of(),
                Math.floorDiv(command.startAt().toEpochMilli(), bucketMillis) - 1, command.startAt(), Map.of());
    }

    /** A check as the analyzer runs it: the variant and the compared variant filled in where absent. */
    public static MetricCheck withDefaults(MetricCheck check) {
        return Judges.withDefaults(check);
    }

    /** Folds one sample in; samples outside the window, or of no series the checks read, leave the state as is. */
    public AnalysisState add(AnalysisState state, MetricSample sample) {
        if (sample.time() == null || sample.time().isBefore(state.startAt()) || sample.time().isAfter(state.endAt())
                || sample.variant() == null || sample.metric() == null
                || !needed(state.metrics()).contains(AnalysisState.key(sample.variant(), sample.metric()))) {
            return state;
        }
        String key = AnalysisState.key(sample.variant(), sample.metric());
        Map<String, Series> series = new HashMap<>(state.series());
        series.merge(key, Series.EMPTY.add(sample.value()), (a, b) -> a.add(sample.value()));
        Map<String, Instant> seen = new HashMap<>(state.seen());
        seen.merge(key, sample.time(), (a, b) -> a.isAfter(b) ? a : b);
        Map<String, LogHistogram> sketches = state.sketches();
        if (latencyMetrics(state.metrics()).contains(sample.metric())) {
            sketches = new HashMap<>(sketches);
            sketches.put(key, observe(state.sketch(sample.variant(), sample.metric()), sample));
        }
        // A sample's time is the end of the interval it counts: one stamped 10:00:01 belongs to [10:00:00, 10:00:01).
        long bucket = Math.floorDiv(sample.time().toEpochMilli() - 1, bucketMillis);
        Map<Long, Map<String, Double>> open = state.open();
        List<CheckState> checks = new ArrayList<>(state.checks());
        if (bucket > state.folded()) {
            Map<String, Double> sums = new HashMap<>(open.getOrDefault(bucket, Map.of()));
            sums.merge(key, sample.value(), Double::sum);
            sums.merge(key + "#n", 1.0, Double::sum);
            for (int i = 0; i < checks.size(); i++) {
                countExceedances(i, state.metrics().get(i), checks.get(i), sample, sums);
            }
            open = new TreeMap<>(open);
            open.put(bucket, Map.copyOf(sums));
        }
        Instant watermark = sample.time().isAfter(state.watermark()) ? sample.time() : state.watermark();
        AnalysisState next = new AnalysisState(state.analysisId(), state.releaseId(), state.startAt(), state.endAt(),
                state.metrics(), Map.copyOf(series), Map.copyOf(sketches), checks, Map.copyOf(open),
                Map.copyOf(seen), state.folded(), watermark, state.problems());
        return fold(fixThresholds(next), false);
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
        String key = AnalysisState.key(problem.variant(), problem.metric());
        if (!needed(state.metrics()).contains(key)) {
            return state;
        }
        return state.withProblems(SeriesProblems.add(state.problems(), key, problem));
    }

    private static LogHistogram observe(LogHistogram sketch, MetricSample sample) {
        if (sample.buckets() == null || sample.buckets().isEmpty()) {
            return sketch.add(sample.value(), 1);
        }
        double below = 0;
        for (HistogramBucket b : sortedBuckets(sample)) {
            sketch = sketch.add(b.le(), b.count() - below);
            below = Math.max(below, b.count());
        }
        return sketch.add(Double.POSITIVE_INFINITY, sample.value() - below);
    }

    /** Counts a latency sample against a sequential check's fixed threshold: observations and those above it. */
    private static void countExceedances(int index, MetricCheck check, CheckState cs, MetricSample sample,
            Map<String, Double> sums) {
        if (!(check.judge() instanceof Judge.Sequential) || !(check.measure() instanceof Measure.Latency latency)
                || cs.threshold() == null || !latency.metric().equals(sample.metric())
                || (sample.variant() != check.variant() && sample.variant() != check.compareTo())) {
            return;
        }
        double n;
        double above;
        if (sample.buckets() == null || sample.buckets().isEmpty()) {
            n = 1;
            above = sample.value() > cs.threshold() ? 1 : 0;
        } else {
            double atOrBelow = 0;
            for (HistogramBucket b : sortedBuckets(sample)) {
                if (b.le() <= cs.threshold()) {
                    atOrBelow = Math.max(atOrBelow, b.count());
                }
            }
            n = sample.value();
            above = Math.max(0, n - atOrBelow);
        }
        sums.merge(SequentialJudge.exceedKey(index, sample.variant(), "n"), n, Double::sum);
        sums.merge(SequentialJudge.exceedKey(index, sample.variant(), "x"), above, Double::sum);
    }

    private static List<HistogramBucket> sortedBuckets(MetricSample sample) {
        return sample.buckets().stream().sorted((a, b) -> Double.compare(a.le(), b.le())).toList();
    }

    /**
     * Fixes a sequential latency check's threshold, the compared variant's quantile, once enough of
     * its observations are in; only observations after that are tested, so the ones that chose the
     * threshold are never judged against it.
     */
    private static AnalysisState fixThresholds(AnalysisState state) {
        List<CheckState> checks = new ArrayList<>(state.checks());
        boolean changed = false;
        for (int i = 0; i < checks.size(); i++) {
            MetricCheck check = state.metrics().get(i);
            CheckState cs = checks.get(i);
            if (cs.threshold() == null && cs.decided() == null && check.judge() instanceof Judge.Sequential
                    && check.measure() instanceof Measure.Latency latency) {
                LogHistogram sketch = state.sketch(check.compareTo(), latency.metric());
                if (sketch.total() >= SequentialJudge.warmUp(latency)) {
                    checks.set(i, cs.withThreshold(sketch.quantile(Measured.quantile(latency))));
                    changed = true;
                }
            }
        }
        return changed ? state.withChecks(List.copyOf(checks)) : state;
    }

    /** Folds the closed buckets, in order, into the checks; {@code all} folds every open bucket (window end). */
    private AnalysisState fold(AnalysisState state, boolean all) {
        if (state.open().isEmpty()) {
            return state;
        }
        Set<String> needed = needed(state.metrics());
        Map<Long, Map<String, Double>> open = new TreeMap<>(state.open());
        List<CheckState> checks = new ArrayList<>(state.checks());
        long folded = state.folded();
        AnalysisState current = state;
        for (Map.Entry<Long, Map<String, Double>> e : new TreeMap<>(state.open()).entrySet()) {
            Instant end = Instant.ofEpochMilli((e.getKey() + 1) * bucketMillis);
            boolean everySeriesPassed = needed.stream().allMatch(k -> state.seen().containsKey(k)
                    && !state.seen().get(k).isBefore(end));
            if (!all && !everySeriesPassed && state.watermark().isBefore(end.plus(grace))) {
                break;
            }
            for (int i = 0; i < checks.size(); i++) {
                checks.set(i, Judges.onBucket(state.metrics().get(i), i, checks.get(i), e.getValue(), current));
            }
            open.remove(e.getKey());
            folded = e.getKey();
        }
        return new AnalysisState(state.analysisId(), state.releaseId(), state.startAt(), state.endAt(),
                state.metrics(), state.series(), state.sketches(), List.copyOf(checks), Map.copyOf(open),
                state.seen(), folded, state.watermark(), state.problems());
    }

    /** True once no further sample can count: the window and its grace period are over. */
    public boolean due(AnalysisState state, Instant now) {
        return !now.isBefore(state.endAt().plus(grace));
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

    private static Set<String> latencyMetrics(List<MetricCheck> checks) {
        return checks.stream().filter(c -> c.measure() instanceof Measure.Latency)
                .map(c -> ((Measure.Latency) c.measure()).metric()).collect(Collectors.toSet());
    }

    /** The series (variant/metric) the checks read. */
    static Set<String> needed(List<MetricCheck> checks) {
        return checks.stream().filter(c -> c.measure() != null).flatMap(c -> {
            List<Variant> variants = c.compareTo() == null ? List.of(c.variant()) : List.of(c.variant(), c.compareTo());
            List<String> metrics = metricsOf(c.measure());
            return variants.stream().flatMap(v -> metrics.stream().map(m -> AnalysisState.key(v, m)));
        }).collect(Collectors.toSet());
    }

    private static List<String> metricsOf(Measure measure) {
        if (measure instanceof Measure.Ratio r) {
            return List.of(r.numerator(), r.denominator());
        }
        if (measure instanceof Measure.Mean m) {
            return List.of(m.metric());
        }
        if (measure instanceof Measure.Latency l) {
            return List.of(l.metric());
        }
        throw new IllegalStateException("unhandled measure " + measure.getClass());
    }
}
