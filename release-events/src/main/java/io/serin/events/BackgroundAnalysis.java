package io.serin.events;

import java.time.Duration;
import java.util.List;

/**
 * An analysis that runs beside the steps instead of blocking one: it starts when step
 * {@code startingStep} (0-based, default 0) starts and runs for {@code duration} or until the release
 * ends. A FAILED verdict rolls the release back at whatever step it is; a SUCCESSFUL or INCONCLUSIVE
 * one is recorded and changes nothing.
 *
 * @param initialDelay warm-up not judged (default none): samples in the first {@code initialDelay}
 *                     after step {@code startingStep} starts are ignored, and the analysis then
 *                     judges for its full {@code duration}; at most {@link Limits#MAX_INITIAL_DELAY}
 */
public record BackgroundAnalysis(Integer startingStep, Duration duration, List<MetricCheck> metrics,
        Duration initialDelay) {

    public BackgroundAnalysis(Integer startingStep, Duration duration, List<MetricCheck> metrics) {
        this(startingStep, duration, metrics, null);
    }
}
