package io.serin.analyzer.analysis;

import io.serin.events.AnalysisCommand;
import io.serin.events.Limits;
import io.serin.events.MetricCheck;

/**
 * What a start command needs before an analysis can be run from it. The planner validates what it
 * sends, but the analyzer trusts no writer of its topic: a command outside these bounds is answered
 * with an ERROR verdict and dead-lettered, never folded into state that fails at every tick.
 */
public final class StartChecks {

    private StartChecks() {
    }

    /** Why {@code start} cannot be run ("without analysisId", ...), or null if it can. */
    public static String problem(AnalysisCommand.Start start) {
        if (blank(start.analysisId())) {
            return "without analysisId";
        }
        if (blank(start.releaseId())) {
            return "without releaseId";
        }
        if (start.startAt() == null) {
            return "without startAt";
        }
        if (start.duration() == null || start.duration().isNegative() || start.duration().isZero()
                || start.duration().compareTo(Limits.MAX_ANALYSIS) > 0) {
            return "duration must be positive and at most " + Limits.MAX_ANALYSIS + " (was " + start.duration() + ")";
        }
        if (start.startAt().getEpochSecond() > 253402300799L || start.startAt().getEpochSecond() < 0) {
            return "startAt must lie between 1970 and 9999 (was " + start.startAt() + ")";
        }
        if (start.metrics() == null || start.metrics().isEmpty()) {
            return "without metrics";
        }
        if (start.metrics().size() > Limits.MAX_METRICS) {
            return "with " + start.metrics().size() + " metrics (at most " + Limits.MAX_METRICS + ")";
        }
        for (int i = 0; i < start.metrics().size(); i++) {
            MetricCheck check = start.metrics().get(i);
            if (check == null) {
                return "metric " + i + " is null";
            }
            if (blank(check.name()) || check.measure() == null || check.judge() == null) {
                return "metric " + i + " needs a name, a measure and a judge";
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
