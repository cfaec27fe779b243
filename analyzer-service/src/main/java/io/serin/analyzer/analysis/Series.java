package io.serin.analyzer.analysis;

/** Running sum of one metric of one variant within an analysis window. */
public record Series(double sum, long samples) {

    public static final Series EMPTY = new Series(0, 0);

    Series add(double value) {
        return new Series(sum + value, samples + 1);
    }
}
