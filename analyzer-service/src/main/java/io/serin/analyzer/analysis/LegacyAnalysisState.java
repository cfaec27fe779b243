package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.events.Judge;
import io.serin.events.MetricCheck;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running analysis as analyzers before the split into head and series stored it: one JSON value per
 * release. Read once, when an upgraded analyzer first meets it, and split into the current parts,
 * so that analyses running across an upgrade still get their verdict.
 *
 * @param open  per open bucket: sums keyed {@code variant/metric}, {@code variant/metric#n} (samples)
 *              and {@code check:variant:n|x} (a sequential latency check's observations and exceedances)
 * @param seen  per series: the latest event time seen
 */
public record LegacyAnalysisState(String analysisId, String releaseId, Instant startAt, Instant endAt,
        List<MetricCheck> metrics, Map<String, Series> series, Map<String, Sketch> sketches, List<CheckState> checks,
        Map<Long, Map<String, Double>> open, Map<String, Instant> seen, long folded,
        Map<String, SeriesProblems> problems) {

    /** The sketch as it was stored: observation count per bucket index. */
    public record Sketch(Map<Integer, Double> counts) {
    }

    /**
     * The analysis in the current parts. It is judged by the rules it started with: a sequential judge of
     * that time passed on the ratio alone, so its checks get no negligible rate.
     */
    public AnalysisState migrate() {
        List<MetricCheck> asStarted = metrics.stream().map(LegacyAnalysisState::withoutNegligibleRate).toList();
        AnalysisHead head = new AnalysisHead(analysisId, releaseId, startAt, endAt, asStarted, checks, folded,
                problems, 0);
        SeriesLayout layout = new SeriesLayout(metrics);
        SeriesState[] parts = new SeriesState[layout.size()];
        for (int slot = 0; slot < parts.length; slot++) {
            parts[slot] = series(layout, slot);
        }
        return AnalysisState.of(head, layout, parts);
    }

    private static MetricCheck withoutNegligibleRate(MetricCheck check) {
        if (check.judge() instanceof Judge.Sequential s && s.negligibleRate() == null) {
            return new MetricCheck(check.name(), check.variant(), check.measure(),
                    new Judge.Sequential(s.alpha(), s.beta(), s.margin(), 0.0, false), check.minCount(), check.compareTo());
        }
        return check;
    }

    private SeriesState series(SeriesLayout layout, int slot) {
        String key = layout.key(slot);
        Series totals = series == null ? null : series.get(key);
        Instant last = seen == null ? null : seen.get(key);
        TreeMap<Integer, Double> counts = new TreeMap<>(sketches == null || !sketches.containsKey(key)
                ? Map.of() : sketches.get(key).counts());
        int[] indices = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] sketchCounts = counts.values().stream().mapToDouble(Double::doubleValue).toArray();
        int width = layout.width(slot);
        int[] counting = layout.exceedChecks(slot);
        String variant = layout.variant(slot).label();
        TreeMap<Long, Map<String, Double>> buckets = new TreeMap<>(open == null ? Map.of() : open);
        buckets.values().removeIf(sums -> !sums.containsKey(key + "#n"));
        long[] ids = buckets.keySet().stream().mapToLong(Long::longValue).toArray();
        double[] sums = new double[ids.length * width];
        int row = 0;
        for (Map<String, Double> bucket : buckets.values()) {
            sums[row * width] = bucket.getOrDefault(key, 0.0);
            sums[row * width + 1] = bucket.get(key + "#n");
            for (int k = 0; k < counting.length; k++) {
                sums[row * width + 2 + 2 * k] = bucket.getOrDefault(counting[k] + ":" + variant + ":n", 0.0);
                sums[row * width + 3 + 2 * k] = bucket.getOrDefault(counting[k] + ":" + variant + ":x", 0.0);
            }
            row++;
        }
        return SeriesState.of(totals == null ? 0 : totals.sum(), totals == null ? 0 : totals.samples(),
                last == null ? SeriesState.NEVER : last.toEpochMilli(), LogHistogram.of(indices, sketchCounts), ids,
                width, sums);
    }
}
