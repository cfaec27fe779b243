package io.serin.events;

import java.time.Duration;
import java.util.List;

/**
 * An analysis a strategy runs at a fixed point: judge {@code metrics} over {@code duration}. A FAILED
 * verdict rolls the release back; INCONCLUSIVE follows the strategy's {@code onInconclusive}.
 *
 * @param failureLimit      FAILED verdicts tolerated (default 0); each one below the limit runs the
 *                          analysis again; counted per analysis, not per release
 * @param inconclusiveLimit INCONCLUSIVE verdicts tolerated the same way (default 0)
 * @param initialDelay      warm-up not judged (default none): samples in the first
 *                          {@code initialDelay} after the analysis starts are ignored, and the
 *                          analysis then judges for its full {@code duration}; at most
 *                          {@link Limits#MAX_INITIAL_DELAY}
 */
public record AnalysisSpec(Duration duration, List<MetricCheck> metrics, Integer failureLimit,
        Integer inconclusiveLimit, Duration initialDelay) {

    public AnalysisSpec(Duration duration, List<MetricCheck> metrics) {
        this(duration, metrics, null, null, null);
    }

    public AnalysisSpec(Duration duration, List<MetricCheck> metrics, Integer failureLimit,
            Integer inconclusiveLimit) {
        this(duration, metrics, failureLimit, inconclusiveLimit, null);
    }
}
