package io.serin.analyzer.analysis;

import io.serin.events.Variant;

/** The sums of one event-time bucket across the series of an analysis, as comparing judges fold it. */
final class Bucket {

    private final AnalysisState state;
    private final long index;
    private final long millis;

    Bucket(AnalysisState state, long index, long millis) {
        this.state = state;
        this.index = index;
        this.millis = millis;
    }

    /** Where the bucket ends, in seconds of event time. */
    long endSecond() {
        return Math.floorDiv((index + 1) * millis, 1000);
    }

    /** Sum of the values of a series' samples in the bucket. */
    double sum(Variant variant, String metric) {
        return column(variant, metric, 0);
    }

    /** How many samples of a series fell into the bucket. */
    double samples(Variant variant, String metric) {
        return column(variant, metric, 1);
    }

    /** A sequential latency check's observations of {@code variant} in the bucket, once its threshold was fixed. */
    double observations(int check, Variant variant, String metric) {
        return exceedColumn(check, variant, metric, 0);
    }

    /** Of those, the ones above the check's threshold. */
    double exceedances(int check, Variant variant, String metric) {
        return exceedColumn(check, variant, metric, 1);
    }

    private double column(Variant variant, String metric, int column) {
        int slot = state.layout().slot(variant, metric);
        return slot < 0 ? 0 : state.series(slot).sum(index, column);
    }

    private double exceedColumn(int check, Variant variant, String metric, int offset) {
        int slot = state.layout().slot(variant, metric);
        int column = slot < 0 ? -1 : state.layout().exceedColumn(slot, check);
        return column < 0 ? 0 : state.series(slot).sum(index, column + offset);
    }
}
