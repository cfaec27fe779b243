package io.serin.analyzer.prometheus;

import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One due query round of one analysis: every planned series, evaluated at {@code time} over the
 * {@code window} that ends there.
 */
record Round(String releaseId, String analysisId, WorkloadRef target, Instant time, Duration window,
        List<Set<SeriesRef>> groups) {
}
