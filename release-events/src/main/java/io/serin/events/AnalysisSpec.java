package io.serin.events;

import java.time.Duration;
import java.util.List;

/**
 * An analysis a strategy runs at a fixed point: judge {@code metrics} over {@code duration}. A FAILED
 * verdict rolls the release back; INCONCLUSIVE follows the strategy's {@code onInconclusive}.
 */
public record AnalysisSpec(Duration duration, List<MetricCheck> metrics) {
}
