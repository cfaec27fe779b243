package io.serin.planner.plan;

import io.serin.events.ReleaseRequested;
import io.serin.events.WorkloadRef;

import java.util.ArrayList;
import java.util.List;

/**
 * One active release per target workload. Requests for a busy target wait in a first-in,
 * first-out queue of at most {@code queueLimit}; beyond it they are rejected, and with a limit of 0
 * every request for a busy target is. Pure: the state per target is passed in and returned, and the
 * topology keys it by {@link #key(WorkloadRef)} so one target is decided in one place.
 */
public final class Admissions {

    /** Who holds a target and who waits for it. An empty queue with no active release is deleted. */
    public record TargetQueue(String active, List<ReleaseRequested> waiting) {

        boolean isEmpty() {
            return active == null && (waiting == null || waiting.isEmpty());
        }

        List<ReleaseRequested> waitingOrEmpty() {
            return waiting == null ? List.of() : waiting;
        }
    }

    /** What a request or a release signal led to, for the release it concerns. */
    public record Outcome(Kind kind, ReleaseRequested request, String behind, int position, String reason) {

        public enum Kind {
            /** The release may start now. */
            ADMITTED,
            /** The release waits behind {@code behind} at {@code position}. */
            QUEUED,
            /** The target is busy and its queue full. */
            REJECTED
        }

        public String releaseId() {
            return request.releaseId();
        }
    }

    /** The new state of the target (null to delete it) and what to tell the releases concerned. */
    public record Result(TargetQueue state, List<Outcome> outcomes) {
    }

    private final int queueLimit;

    public Admissions(int queueLimit) {
        this.queueLimit = queueLimit;
    }

    public static String key(WorkloadRef target) {
        return target.namespace() + "/" + target.name();
    }

    /** A valid request (new, or a retry) for the target. Asking again while active or waiting changes nothing. */
    public Result request(ReleaseRequested request, TargetQueue state) {
        String id = request.releaseId();
        TargetQueue current = state == null ? new TargetQueue(null, List.of()) : state;
        List<ReleaseRequested> waiting = current.waitingOrEmpty();
        if (id.equals(current.active()) || waiting.stream().anyMatch(r -> r.releaseId().equals(id))) {
            return new Result(current, List.of());
        }
        if (current.active() == null) {
            return new Result(new TargetQueue(id, waiting), List.of(new Outcome(Outcome.Kind.ADMITTED, request, null, 0,
                    null)));
        }
        if (waiting.size() >= queueLimit) {
            String reason = "release '" + current.active() + "' is active on " + key(request.target())
                    + (queueLimit == 0 ? " and this planner does not queue (serin.planner.admission.queue-limit=0)"
                    : " and " + waiting.size() + " more wait for it (serin.planner.admission.queue-limit="
                    + queueLimit + ")");
            return new Result(current, List.of(new Outcome(Outcome.Kind.REJECTED, request, current.active(), 0,
                    reason)));
        }
        List<ReleaseRequested> longer = new ArrayList<>(waiting);
        longer.add(request);
        return new Result(new TargetQueue(current.active(), List.copyOf(longer)),
                List.of(new Outcome(Outcome.Kind.QUEUED, request, current.active(), longer.size(), null)));
    }

    /** Release {@code releaseId} ended (or was withdrawn while waiting): the next in line starts. */
    public Result released(String releaseId, TargetQueue state) {
        if (state == null) {
            return new Result(null, List.of());
        }
        List<ReleaseRequested> waiting = new ArrayList<>(state.waitingOrEmpty());
        if (!releaseId.equals(state.active())) {
            waiting.removeIf(r -> r.releaseId().equals(releaseId));
            TargetQueue left = new TargetQueue(state.active(), List.copyOf(waiting));
            return new Result(left.isEmpty() ? null : left, List.of());
        }
        if (waiting.isEmpty()) {
            return new Result(null, List.of());
        }
        ReleaseRequested next = waiting.remove(0);
        return new Result(new TargetQueue(next.releaseId(), List.copyOf(waiting)),
                List.of(new Outcome(Outcome.Kind.ADMITTED, next, null, 0, null)));
    }
}
