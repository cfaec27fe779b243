package io.serin.analyzer.analysis;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.MetricSample;
import io.serin.events.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The analyzer's decisions, free of Kafka: start an analysis, fold a sample into it by event time,
 * and decide once the window (plus a grace period for late samples) has passed.
 */
public final class Analyses {

    private final Duration grace;

    /** @param grace how long after the window's end late samples are still counted */
    public Analyses(Duration grace) {
        this.grace = grace;
    }

    public AnalysisState start(AnalysisCommand.Start command) {
        return new AnalysisState(command.analysisId(), command.releaseId(), command.startAt(),
                command.startAt().plus(command.duration()), command.metrics().stream().map(m -> m.variant() != null ? m
                        : new MetricCheck(m.name(), io.serin.events.Variant.CANARY, m.measure(), m.judge(), m.minCount()))
                        .toList(), Map.of());
    }

    /** Folds one sample in; samples outside the window, or of no metric the checks use, leave the state as is. */
    public AnalysisState add(AnalysisState state, MetricSample sample) {
        if (sample.time() == null || sample.time().isBefore(state.startAt()) || sample.time().isAfter(state.endAt())
                || sample.variant() == null || !needed(state.metrics()).contains(
                        AnalysisState.key(sample.variant(), sample.metric()))) {
            return state;
        }
        Map<String, Series> series = new HashMap<>(state.series());
        series.merge(AnalysisState.key(sample.variant(), sample.metric()), Series.EMPTY.add(sample.value()),
                (a, b) -> a.add(sample.value()));
        return new AnalysisState(state.analysisId(), state.releaseId(), state.startAt(), state.endAt(), state.metrics(),
                Map.copyOf(series));
    }

    /** True once no further sample can count: the window and its grace period are over. */
    public boolean due(AnalysisState state, Instant now) {
        return !now.isBefore(state.endAt().plus(grace));
    }

    public AnalysisVerdict decide(AnalysisState state, Instant now) {
        List<MetricEvidence> evidence = state.metrics().stream().map(m -> judge(m, state)).toList();
        Verdict overall = evidence.stream().anyMatch(e -> e.verdict() == Verdict.FAILED) ? Verdict.FAILED
                : evidence.stream().anyMatch(e -> e.verdict() == Verdict.INCONCLUSIVE) ? Verdict.INCONCLUSIVE
                : Verdict.SUCCESSFUL;
        String reason = evidence.stream().filter(e -> e.verdict() == overall).map(MetricEvidence::reason)
                .collect(Collectors.joining("; "));
        return new AnalysisVerdict(state.analysisId(), state.releaseId(), overall, reason, now, evidence);
    }

    private static MetricEvidence judge(MetricCheck check, AnalysisState state) {
        Measured measured = Measured.of(check, state);
        if (check.judge() instanceof Judge.Threshold threshold) {
            return ThresholdJudge.judge(check, threshold, measured);
        }
        throw new IllegalStateException("unhandled judge " + check.judge().getClass());
    }

    private static Set<String> needed(List<MetricCheck> checks) {
        return checks.stream().flatMap(c -> {
            if (c.measure() instanceof Measure.Ratio r) {
                return java.util.stream.Stream.of(AnalysisState.key(c.variant(), r.numerator()),
                        AnalysisState.key(c.variant(), r.denominator()));
            }
            throw new IllegalStateException("unhandled measure " + c.measure().getClass());
        }).collect(Collectors.toSet());
    }
}
