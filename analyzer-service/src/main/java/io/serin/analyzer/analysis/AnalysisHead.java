package io.serin.analyzer.analysis;

import io.serin.events.MetricCheck;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one running analysis holds beyond its series: the window, the checks (defaults filled in) and
 * what each has learnt, the last event-time bucket folded into them, and what went missing. Replaced
 * when a bucket is folded, not with every sample.
 *
 * @param folded   the last bucket index folded into the checks; later samples for it are too late
 * @param problems per series: what pulling sources reported they could not sample
 * @param late     samples that arrived for a bucket already folded: counted in the window's totals only
 */
public record AnalysisHead(String analysisId, String releaseId, Instant startAt, Instant endAt,
        List<MetricCheck> metrics, List<CheckState> checks, long folded, Map<String, SeriesProblems> problems,
        long late) {

    public AnalysisHead {
        problems = problems == null ? Map.of() : problems;
    }

    AnalysisHead withChecks(List<CheckState> next, long nextFolded) {
        return new AnalysisHead(analysisId, releaseId, startAt, endAt, metrics, next, nextFolded, problems, late);
    }

    AnalysisHead withProblems(Map<String, SeriesProblems> next) {
        return new AnalysisHead(analysisId, releaseId, startAt, endAt, metrics, checks, folded, next, late);
    }

    AnalysisHead withLate() {
        return new AnalysisHead(analysisId, releaseId, startAt, endAt, metrics, checks, folded, problems, late + 1);
    }
}
