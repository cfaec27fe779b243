package io.serin.notifier.notify;

import io.serin.events.Notifications;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Instant;
import java.util.Objects;

/**
 * What the notifier remembers of one release between its events: the request it learnt from
 * {@code Accepted} (target, version, strategy, per-release routes) and the traffic last reported.
 * Kept in Kafka so that a restarted notifier renders and routes the rest of the release the same way.
 *
 * @param sequence the event sequence this context was last changed at; a stale copy never wins
 */
public record ReleaseContext(String releaseId, WorkloadRef target, VersionSpec to, String strategy,
        Integer stepCount, String requestedBy, Notifications notifications, Instant startedAt,
        Integer canaryWeight, long sequence) {

    /**
     * The context after {@code event}; {@code previous} may be null (the notifier started after
     * the release did, or never saw its request). Returns {@code previous} itself when nothing changed.
     */
    public static ReleaseContext after(ReleaseContext previous, ReleaseEvent event) {
        if (previous != null && event.sequence() <= previous.sequence()) {
            return previous; // a redelivered or older event changes nothing
        }
        if (event instanceof ReleaseEvent.Accepted a) {
            return of(a.releaseId(), a.request(), a.occurredAt(), a.sequence());
        }
        if (event instanceof ReleaseEvent.Queued q) {
            // queued releases have not started; their routes must apply to the Queued message already
            return of(q.releaseId(), q.request(), null, q.sequence());
        }
        if (event instanceof ReleaseEvent.StepCompleted s && s.traffic() != null) {
            ReleaseContext base = previous != null ? previous : unknown(s.releaseId(), s.target());
            if (Objects.equals(base.canaryWeight(), s.traffic().canaryWeight())) {
                return previous;
            }
            return new ReleaseContext(base.releaseId(), base.target(), base.to(), base.strategy(), base.stepCount(),
                    base.requestedBy(), base.notifications(), base.startedAt(), s.traffic().canaryWeight(),
                    s.sequence());
        }
        return previous;
    }

    private static ReleaseContext unknown(String releaseId, WorkloadRef target) {
        return new ReleaseContext(releaseId, target, null, null, null, null, null, null, null, 0);
    }

    private static ReleaseContext of(String releaseId, ReleaseRequested r, java.time.Instant startedAt, long sequence) {
        Integer steps = r.strategy() instanceof Strategy.Canary c && c.steps() != null ? c.steps().size() : null;
        return new ReleaseContext(releaseId, r.target(), r.to(), strategyName(r.strategy()), steps, r.requestedBy(),
                r.notifications(), startedAt, null, sequence);
    }

    /** The strategy's type name as requests spell it ("canary", "blueGreen" …). */
    static String strategyName(Strategy strategy) {
        if (strategy == null) {
            return null;
        }
        String simple = strategy.getClass().getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }
}
