package io.serin.analyzer.analysis;

import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.SourceProblem;
import io.serin.events.Verdict;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What pulling sources reported they could not sample for one series of an analysis: how many
 * samples are missing, and the latest reason.
 */
public record SeriesProblems(long count, SourceProblem.Reason reason, String detail) {

    /** Chat messages carry the reason; a whole stack of PromQL errors would drown it. */
    private static final int MAX_DETAIL = 240;

    static Map<String, SeriesProblems> add(Map<String, SeriesProblems> problems, String key, SourceProblem problem) {
        Map<String, SeriesProblems> next = new HashMap<>(problems);
        long count = problems.containsKey(key) ? problems.get(key).count() + 1 : 1;
        next.put(key, new SeriesProblems(count, problem.reason(), problem.detail()));
        return Map.copyOf(next);
    }

    /**
     * The evidence of a check left INCONCLUSIVE, with the problems of the series it reads named in its
     * reason: "too little data" alone would hide that the data was never there to be had. Decided
     * checks keep their reason: the samples they rest on were complete (a source withholds a round
     * of the series that checks combine when any of them failed).
     */
    static MetricEvidence named(MetricCheck check, MetricEvidence evidence, AnalysisState state) {
        if (evidence.verdict() != Verdict.INCONCLUSIVE || state.problems().isEmpty()) {
            return evidence;
        }
        String problems = SeriesLayout.needed(List.of(check)).stream().sorted().filter(state.problems()::containsKey)
                .map(key -> key + " " + state.problems().get(key).describe()).collect(Collectors.joining(", "));
        if (problems.isEmpty()) {
            return evidence;
        }
        return new MetricEvidence(evidence.name(), evidence.variant(), evidence.verdict(), evidence.value(),
                evidence.min(), evidence.max(), evidence.numerator(), evidence.denominator(), evidence.samples(),
                evidence.reason() + "; source problems: " + problems, evidence.compareTo(), evidence.compareValue(),
                evidence.compareNumerator(), evidence.compareDenominator(), evidence.statistic(), evidence.pValue(),
                evidence.margin());
    }

    String describe() {
        String last = detail == null ? String.valueOf(reason)
                : reason + ": " + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail);
        return count + (count == 1 ? " sample" : " samples") + " missing (last " + last + ")";
    }
}
