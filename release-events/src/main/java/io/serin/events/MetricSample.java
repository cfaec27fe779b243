package io.serin.events;

import java.time.Instant;

/**
 * One observation of one metric of one variant of a release. Counters ({@code requests},
 * {@code errors}) carry the count of events since the previous sample of the same series, not a
 * running total, so samples can be summed over any window and a restarted publisher loses nothing.
 *
 * @param time event time of the observation (end of the interval it counts)
 */
public record MetricSample(String releaseId, Variant variant, String metric, double value, Instant time)
        implements SampleMessage {
}
