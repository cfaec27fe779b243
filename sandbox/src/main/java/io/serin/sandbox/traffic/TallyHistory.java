package io.serin.sandbox.traffic;

import io.serin.events.Limits;
import io.serin.events.MetricHistory;
import io.serin.events.Variant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One app's variant role's recent traffic, as Prometheus would hold it for the analyzer's history
 * query: a bounded ring of steps of wall-clock time, each the sum of the ticks that ended in it
 * (requests, errors, the latency histogram's count and cumulative count per bucket bound). A step is
 * {@link #step(Duration) max(tick, 1 s), at most 1 min}; the ring holds at most the last hour and at
 * most {@link Limits#MAX_HISTORY_VALUES} steps. Not thread-safe: its owner serialises access.
 */
final class TallyHistory {

    /** The longest history the ring holds. */
    static final Duration SPAN = Duration.ofHours(1);
    static final String REQUESTS = "requests";
    static final String ERRORS = "errors";
    static final String LATENCY = "latency";

    /** Per step: requests, errors, latency count, then the cumulative count at or below each bound. */
    private static final int REQ = 0;
    private static final int ERR = 1;
    private static final int COUNT = 2;
    private static final int FIRST_BUCKET = 3;
    private static final int ROW = FIRST_BUCKET + LatencyModel.BOUNDS.length;

    private final long tickMillis;
    private final long stepMillis;
    private final int capacity;
    private final long[][] rows;
    /** The step each slot of {@link #rows} holds; meaningful only where the row is not null. */
    private final long[] stepOf;
    /** The first step wholly observed (the ring's owner started ticking within the one before), or MIN. */
    private long firstStep = Long.MIN_VALUE;
    /** The end of the latest tick recorded, or MIN. */
    private long lastTickEnd = Long.MIN_VALUE;

    TallyHistory(Duration tick) {
        this.tickMillis = Math.max(1, tick.toMillis());
        this.stepMillis = step(tick).toMillis();
        this.capacity = (int) Math.max(1, Math.min(Limits.MAX_HISTORY_VALUES, SPAN.toMillis() / stepMillis));
        this.rows = new long[capacity][];
        this.stepOf = new long[capacity];
    }

    /** The step of a history kept at {@code tick}: the tick, but at least 1 s and at most 1 min. */
    static Duration step(Duration tick) {
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(1);
        return tick.compareTo(min) < 0 ? min : tick.compareTo(max) > 0 ? max : tick;
    }

    Duration step() {
        return Duration.ofMillis(stepMillis);
    }

    /** How many steps the ring holds at most. */
    int capacity() {
        return capacity;
    }

    /** The end of the latest tick recorded, or null before the first. */
    Instant lastTick() {
        return lastTickEnd == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastTickEnd);
    }

    /**
     * Adds the tally of the tick that ended at {@code end} (it counts the traffic of the tick before
     * it) to the step that tick ends in. A tick older than the ring reaches is dropped.
     */
    void add(Instant end, Tally tally) {
        long endMillis = end.toEpochMilli();
        long index = Math.floorDiv(endMillis - 1, stepMillis); // a tick ending on a step's end belongs to it
        if (firstStep == Long.MIN_VALUE) {
            // the first tick counts from its start: the step it started in is only partly observed
            firstStep = Math.floorDiv(endMillis - tickMillis + stepMillis - 1, stepMillis);
        }
        long newest = lastTickEnd == Long.MIN_VALUE ? index : Math.max(index, Math.floorDiv(lastTickEnd - 1,
                stepMillis));
        if (index <= newest - capacity) {
            return;
        }
        int slot = (int) Math.floorMod(index, (long) capacity);
        long[] row = rows[slot];
        if (row == null || stepOf[slot] != index) {
            row = new long[ROW];
            rows[slot] = row;
            stepOf[slot] = index;
        }
        row[REQ] += tally.requests();
        row[ERR] += tally.errors();
        row[COUNT] += tally.observations();
        long below = 0;
        for (int i = 0; i < LatencyModel.BOUNDS.length; i++) {
            below += tally.buckets()[i];
            row[FIRST_BUCKET + i] += below;
        }
        lastTickEnd = Math.max(lastTickEnd, endMillis);
    }

    /**
     * The history of the whole steps that ended by {@code until} (and by the latest tick, so a step
     * still being filled is left out), as {@code variant}'s history for {@code releaseId}: series
     * {@code requests}, {@code errors}, {@code latency} (the histogram's count) and one {@code latency}
     * series per bucket bound {@code le}. A step in which no tick ended is null. Null when the ring
     * holds no whole step before {@code until}.
     */
    MetricHistory history(String releaseId, Variant variant, Instant until) {
        if (lastTickEnd == Long.MIN_VALUE) {
            return null;
        }
        long cutoff = Math.min(until.toEpochMilli(), lastTickEnd);
        long last = Math.floorDiv(cutoff, stepMillis) - 1; // the last step whose end is at or before cutoff
        long first = Math.max(firstStep, last - capacity + 1);
        // steps before the newest tick's reach were overwritten (or never held)
        long newestTickStep = Math.floorDiv(lastTickEnd - 1, stepMillis);
        first = Math.max(first, newestTickStep - capacity + 1);
        if (last < first) {
            return null;
        }
        int length = (int) (last - first + 1);
        List<List<Double>> values = new ArrayList<>(ROW);
        for (int c = 0; c < ROW; c++) {
            values.add(new ArrayList<>(length));
        }
        boolean any = false;
        for (long index = first; index <= last; index++) {
            int slot = (int) Math.floorMod(index, (long) capacity);
            long[] row = rows[slot] != null && stepOf[slot] == index ? rows[slot] : null;
            any |= row != null;
            for (int c = 0; c < ROW; c++) {
                values.get(c).add(row == null ? null : (double) row[c]);
            }
        }
        if (!any) {
            return null;
        }
        List<MetricHistory.Series> series = new ArrayList<>(ROW);
        series.add(new MetricHistory.Series(REQUESTS, nullable(values.get(REQ))));
        series.add(new MetricHistory.Series(ERRORS, nullable(values.get(ERR))));
        series.add(new MetricHistory.Series(LATENCY, nullable(values.get(COUNT))));
        for (int i = 0; i < LatencyModel.BOUNDS.length; i++) {
            series.add(new MetricHistory.Series(LATENCY, LatencyModel.BOUNDS[i],
                    nullable(values.get(FIRST_BUCKET + i))));
        }
        return new MetricHistory(releaseId, variant, Instant.ofEpochMilli(first * stepMillis), step(),
                List.copyOf(series));
    }

    /** An unmodifiable copy that may hold nulls (List.copyOf refuses them). */
    private static List<Double> nullable(List<Double> values) {
        return java.util.Collections.unmodifiableList(Arrays.asList(values.toArray(new Double[0])));
    }
}
