package io.serin.analyzer.prometheus;

import io.serin.events.AnalysisCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analyses the source polls, and when. Rounds fall at {@code startAt + k * interval}; the last
 * one at the window's end absorbs a remainder shorter than the interval, so no query window is
 * shorter than the interval unless the whole analysis is. A round is due {@code delay} after its
 * time. One analysis per release: a new one replaces the unfinished one, as in the analyzer.
 *
 * <p>An analysis re-read after a restart or a partition move ({@code recovered}) may have been
 * polled by the previous owner up to now, so its rounds already due are skipped, never repeated: a
 * repeated round would count its deltas twice, a skipped one only thins the evidence of every
 * variant alike. A newly written analysis catches up on rounds already due (Prometheus answers for
 * past times).
 */
final class Schedule {

    private record Tracked(AnalysisCommand.Start start, int partition, List<Set<SeriesRef>> groups, Instant last,
            Instant next) {
    }

    private final Duration interval;
    private final Duration delay;
    private final Map<String, Tracked> byRelease = new HashMap<>();

    Schedule(Duration interval, Duration delay) {
        this.interval = interval;
        this.delay = delay;
    }

    /** Starts polling an analysis; false when there is nothing (more) to poll or it is polled already. */
    synchronized boolean track(AnalysisCommand.Start start, int partition, List<Set<SeriesRef>> groups,
            boolean recovered, Instant now) {
        Tracked existing = byRelease.get(start.releaseId());
        if (existing != null && existing.start().analysisId().equals(start.analysisId())) {
            return false;
        }
        Instant last = start.startAt();
        Instant next = groups.isEmpty() || start.duration().isNegative() || start.duration().isZero() ? null
                : after(start, last);
        while (recovered && next != null && !next.plus(delay).isAfter(now)) {
            last = next;
            next = after(start, next);
        }
        if (next == null) {
            return false;
        }
        byRelease.put(start.releaseId(), new Tracked(start, partition, List.copyOf(groups), last, next));
        return true;
    }

    /** Whether this instance still polls that analysis (not ended, replaced or moved away). */
    synchronized boolean tracks(String releaseId, String analysisId) {
        Tracked t = byRelease.get(releaseId);
        return t != null && t.start().analysisId().equals(analysisId);
    }

    /** Stops polling the analyses of partitions this instance no longer owns. */
    synchronized void drop(Collection<Integer> partitions) {
        byRelease.values().removeIf(t -> partitions.contains(t.partition()));
    }

    /** The rounds due at {@code now}, oldest first per analysis; analyses past their last round are dropped. */
    synchronized List<Round> due(Instant now) {
        List<Round> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Tracked>> it = byRelease.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> entry = it.next();
            Tracked t = entry.getValue();
            while (t != null && !t.next().plus(delay).isAfter(now)) {
                AnalysisCommand.Start s = t.start();
                due.add(new Round(s.releaseId(), s.analysisId(), s.target(), t.next(),
                        Duration.between(t.last(), t.next()), t.groups()));
                Instant next = after(s, t.next());
                t = next == null ? null : new Tracked(s, t.partition(), t.groups(), t.next(), next);
            }
            if (t == null) {
                it.remove();
            } else {
                entry.setValue(t);
            }
        }
        return due;
    }

    synchronized int size() {
        return byRelease.size();
    }

    /** The round time after {@code time}, or null after the last. */
    private Instant after(AnalysisCommand.Start start, Instant time) {
        Instant end = start.startAt().plus(start.duration());
        long rounds = Math.max(1, start.duration().toMillis() / interval.toMillis());
        long k = Math.floorDiv(Duration.between(start.startAt(), time).toMillis(), interval.toMillis()) + 1;
        if (k < rounds) {
            return start.startAt().plus(interval.multipliedBy(k));
        }
        return time.isBefore(end) ? end : null;
    }
}
