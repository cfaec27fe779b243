package io.serin.events;

import java.time.Duration;
import java.util.List;

/**
 * An analysis that runs beside the steps instead of blocking one: it starts when step
 * {@code startingStep} (0-based, default 0) starts and runs for {@code duration} or until the release
 * ends. A FAILED verdict rolls the release back at whatever step it is; a SUCCESSFUL or INCONCLUSIVE
 * one is recorded and changes nothing.
 */
public record BackgroundAnalysis(Integer startingStep, Duration duration, List<MetricCheck> metrics) {
}
