package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One running analysis, as stored per release (the record key), with state per variant and metric
 * inside: the window, the checks (defaults filled in), window totals per series (key
 * {@code canary/errors}), latency sketches per series, the open event-time buckets that comparing
 * judges have not folded yet, and what each check has learnt so far. Only what the checks need is
 * kept.
 *
 * @param seen      per series: the latest event time seen (a bucket folds once every series passed it)
 * @param folded    the last bucket index folded into the checks; later samples for it are too late
 * @param watermark the latest event time seen on any series
 * @param problems  per series: what pulling sources reported they could not sample (absent in states
 *                  stored before there were source problems)
 */
public record AnalysisState(String analysisId, String releaseId, Instant startAt, Instant endAt,
        List<MetricCheck> metrics, Map<String, Series> series, Map<String, LogHistogram> sketches,
        List<CheckState> checks, Map<Long, Map<String, Double>> open, Map<String, Instant> seen, long folded,
        Instant watermark, Map<String, SeriesProblems> problems) {

    public AnalysisState {
        problems = problems == null ? Map.of() : problems;
    }

    static String key(Variant variant, String metric) {
        return variant.label() + "/" + metric;
    }

    Series series(Variant variant, String metric) {
        return series.getOrDefault(key(variant, metric), Series.EMPTY);
    }

    LogHistogram sketch(Variant variant, String metric) {
        return sketches.getOrDefault(key(variant, metric), LogHistogram.EMPTY);
    }

    AnalysisState withChecks(List<CheckState> next) {
        return new AnalysisState(analysisId, releaseId, startAt, endAt, metrics, series, sketches, next, open, seen,
                folded, watermark, problems);
    }

    AnalysisState withProblems(Map<String, SeriesProblems> next) {
        return new AnalysisState(analysisId, releaseId, startAt, endAt, metrics, series, sketches, checks, open, seen,
                folded, watermark, next);
    }
}
