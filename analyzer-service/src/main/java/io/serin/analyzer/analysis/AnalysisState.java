package io.serin.analyzer.analysis;

import io.serin.analyzer.analysis.stats.LogHistogram;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One running analysis as the judges see it: its {@link AnalysisHead} and one {@link SeriesState}
 * per series the checks read (slots of the {@link SeriesLayout}). Immutable; a sample replaces one
 * series and, when it closes a bucket, the head ({@link #head()} and {@link #series(int)} keep their
 * identity otherwise, and a state a sample did not change is the same object).
 */
public final class AnalysisState {

    private final AnalysisHead head;
    private final SeriesLayout layout;
    private final SeriesState[] series;

    private AnalysisState(AnalysisHead head, SeriesLayout layout, SeriesState[] series) {
        this.head = head;
        this.layout = layout;
        this.series = series;
    }

    /** An analysis put together from its stored parts; {@code series} by slot, null for a series never sampled. */
    public static AnalysisState of(AnalysisHead head, SeriesLayout layout, SeriesState[] series) {
        if (series.length != layout.size()) {
            throw new IllegalArgumentException("analysis " + head.analysisId() + " reads " + layout.size()
                    + " series, got " + series.length);
        }
        SeriesState[] copy = new SeriesState[series.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = series[i] == null ? SeriesState.EMPTY : series[i];
        }
        return new AnalysisState(head, layout, copy);
    }

    /** The series an analysis with these checks reads, by slot: what to load before {@link #of}. */
    public static SeriesLayout layoutOf(List<MetricCheck> checks) {
        return new SeriesLayout(checks);
    }

    static AnalysisState started(AnalysisHead head) {
        SeriesLayout layout = new SeriesLayout(head.metrics());
        SeriesState[] series = new SeriesState[layout.size()];
        Arrays.fill(series, SeriesState.EMPTY);
        return new AnalysisState(head, layout, series);
    }

    public AnalysisHead head() {
        return head;
    }

    public SeriesLayout layout() {
        return layout;
    }

    public SeriesState series(int slot) {
        return series[slot];
    }

    public String analysisId() {
        return head.analysisId();
    }

    public String releaseId() {
        return head.releaseId();
    }

    public Instant startAt() {
        return head.startAt();
    }

    public Instant endAt() {
        return head.endAt();
    }

    public List<MetricCheck> metrics() {
        return head.metrics();
    }

    public List<CheckState> checks() {
        return head.checks();
    }

    public Map<String, SeriesProblems> problems() {
        return head.problems();
    }

    /** Samples that came too late for their bucket. */
    public long late() {
        return head.late();
    }

    /** Window totals of the series that had samples, by {@code variant/metric}. */
    public Map<String, Series> series() {
        Map<String, Series> totals = new LinkedHashMap<>();
        for (int slot = 0; slot < series.length; slot++) {
            if (series[slot].samples() > 0) {
                totals.put(layout.key(slot), series[slot].totals());
            }
        }
        return totals;
    }

    Series series(Variant variant, String metric) {
        int slot = layout.slot(variant, metric);
        return slot < 0 ? Series.EMPTY : series[slot].totals();
    }

    LogHistogram sketch(Variant variant, String metric) {
        int slot = layout.slot(variant, metric);
        return slot < 0 ? LogHistogram.EMPTY : series[slot].sketch();
    }

    AnalysisState with(AnalysisHead nextHead) {
        return nextHead == head ? this : new AnalysisState(nextHead, layout, series);
    }

    AnalysisState with(int slot, SeriesState next, AnalysisHead nextHead) {
        SeriesState[] copy = series.clone();
        copy[slot] = next;
        return new AnalysisState(nextHead, layout, copy);
    }
}
