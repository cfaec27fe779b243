package io.serin.analyzer.analysis;

import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One running analysis, as stored per release: the window, the checks, and a running sum per
 * variant and metric name (key {@code canary/errors}). Only what the checks need is kept.
 */
public record AnalysisState(String analysisId, String releaseId, Instant startAt, Instant endAt,
        List<MetricCheck> metrics, Map<String, Series> series) {

    static String key(Variant variant, String metric) {
        return variant.label() + "/" + metric;
    }

    Series series(Variant variant, String metric) {
        return series.getOrDefault(key(variant, metric), Series.EMPTY);
    }
}
