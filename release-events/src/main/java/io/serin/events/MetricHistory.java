package io.serin.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one variant's counters did before an analysis, for the sequential judge to learn how noisy the
 * service is before it judges it: per metric, the increase over each {@code step} from {@code start}
 * (e.g. errors and requests per 5 seconds of the stable version over the hour before the release).
 * The analyzer never judges these numbers; it measures how much the rates varied beyond what
 * independent requests would make them vary, at several time scales, and a robust sequential check
 * comparing with this variant starts knowing it. With an hour of history that shows clean traffic the
 * judge decides in seconds; without any it assumes noise until the analysis itself shows otherwise
 * (docs/analyzer.md). The analyzer's Prometheus source sends it when an analysis starts; a publisher
 * that pushes samples may send it too, once per analysis and variant.
 *
 * @param start  the start of the first step
 * @param step   the length of each step, 1 s to 1 min
 * @param series one entry per metric, at most {@value Limits#MAX_HISTORY_SERIES}, each with the same number of
 *               values, at most {@value Limits#MAX_HISTORY_VALUES}
 */
public record MetricHistory(String releaseId, Variant variant, Instant start, Duration step, List<Series> series)
        implements SampleMessage {

    /**
     * One metric's increase per step; a step the source could not measure is null. For a latency
     * histogram, one series per bucket bound {@code le} (seconds) holds the increase of the cumulative
     * count at or below it, as a histogram sample's buckets do, and the series without {@code le} holds
     * the increase of all observations (the histogram's count); a latency check then also takes its
     * threshold from the history, a bound near the quantile of an hour rather than of its first seconds.
     *
     * @param le for a histogram's bucket: its upper bound; absent for counters and a histogram's count
     */
    public record Series(String metric, Double le, List<Double> values) {

        /** A counter's (or a histogram's count's) increases. */
        public Series(String metric, List<Double> values) {
            this(metric, null, values);
        }
    }

    /** What is wrong with the message, or null: the analyzer dead-letters it with that reason. */
    public String problem() {
        if (releaseId == null || variant == null || start == null || step == null || series == null) {
            return "metric history without releaseId, variant, start, step or series";
        }
        if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofMinutes(1)) > 0) {
            return "metric history step must lie between PT1S and PT1M (was " + step + ")";
        }
        if (series.isEmpty() || series.size() > Limits.MAX_HISTORY_SERIES) {
            return "metric history needs 1 to " + Limits.MAX_HISTORY_SERIES + " series (has " + series.size() + ")";
        }
        int length = -1;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            if (s == null || s.metric() == null || s.values() == null) {
                return "metric history series " + i + " without metric or values";
            }
            if (s.le() != null && !(s.le() > 0)) {
                return "metric history series " + s.metric() + " has le " + s.le() + ": bounds are positive seconds";
            }
            if (s.values().size() > Limits.MAX_HISTORY_VALUES) {
                return "metric history series " + s.metric() + " has " + s.values().size() + " values, at most "
                        + Limits.MAX_HISTORY_VALUES;
            }
            if (length >= 0 && s.values().size() != length) {
                return "metric history series differ in length (" + s.metric() + ": " + s.values().size()
                        + ", others " + length + ")";
            }
            length = s.values().size();
            for (Double v : s.values()) {
                if (v != null && !(v >= 0 && Double.isFinite(v))) {
                    return "metric history series " + s.metric() + " holds " + v
                            + ": values are increases, finite and not negative";
                }
            }
        }
        return null;
    }
}
