package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.time.Instant;
import java.util.List;

/**
 * The release event log on {@value Topics#RELEASE_EVENTS}. Every event of a release carries a
 * sequence number starting at 1, without gaps; the planner is the only writer.
 */
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReleaseEvent.Accepted.class, name = "io.serin.release.accepted.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Rejected.class, name = "io.serin.release.rejected.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.StepStarted.class, name = "io.serin.release.step-started.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.StepCompleted.class, name = "io.serin.release.step-completed.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.AnalysisCompleted.class,
                name = "io.serin.release.analysis-completed.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.PromotionStarted.class,
                name = "io.serin.release.promotion-started.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Promoted.class, name = "io.serin.release.promoted.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.RollbackStarted.class,
                name = "io.serin.release.rollback-started.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.RolledBack.class, name = "io.serin.release.rolled-back.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Failed.class, name = "io.serin.release.failed.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Paused.class, name = "io.serin.release.paused.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Resumed.class, name = "io.serin.release.resumed.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.ActionApplied.class, name = "io.serin.release.action-applied.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.ActionRejected.class, name = "io.serin.release.action-rejected.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.Queued.class, name = "io.serin.release.queued.v1"),
        @JsonSubTypes.Type(value = ReleaseEvent.RequestRefused.class, name = "io.serin.release.request-refused.v1"),
})
public sealed interface ReleaseEvent permits ReleaseEvent.Accepted, ReleaseEvent.Rejected, ReleaseEvent.StepStarted,
        ReleaseEvent.StepCompleted, ReleaseEvent.AnalysisCompleted, ReleaseEvent.PromotionStarted,
        ReleaseEvent.Promoted, ReleaseEvent.RollbackStarted, ReleaseEvent.RolledBack, ReleaseEvent.Failed,
        ReleaseEvent.Paused, ReleaseEvent.Resumed, ReleaseEvent.ActionApplied, ReleaseEvent.ActionRejected,
        ReleaseEvent.Queued, ReleaseEvent.RequestRefused {

    String releaseId();

    /** Position in the release's log: 1, 2, 3, … without gaps. */
    long sequence();

    Instant occurredAt();

    /** The request was valid and the release has begun. */
    record Accepted(String releaseId, long sequence, Instant occurredAt, ReleaseRequested request)
            implements ReleaseEvent {
    }

    /** The request was invalid; nothing was changed. */
    record Rejected(String releaseId, long sequence, Instant occurredAt, String requestedBy,
            List<Violation> violations) implements ReleaseEvent {
    }

    /**
     * A step has begun (index from 0). {@code step} is the canary step as requested; for the steps
     * other strategies run (deploy preview, switch, gates …) it is absent and {@code description}
     * says what the step does. {@code description} is set for every step.
     */
    record StepStarted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex,
            int stepCount, CanaryStep step, String description) implements ReleaseEvent {

        public StepStarted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex,
                int stepCount, CanaryStep step) {
            this(releaseId, sequence, occurredAt, target, stepIndex, stepCount, step, null);
        }
    }

    /** A step is done; {@code traffic} is what the cluster reports, where the step changed traffic. */
    record StepCompleted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex,
            int stepCount, String summary, TrafficState traffic) implements ReleaseEvent {
    }

    /** An analysis step reached its verdict, with the evidence. */
    record AnalysisCompleted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex,
            AnalysisVerdict verdict) implements ReleaseEvent {
    }

    /** All steps passed; the target is being moved to the new version. */
    record PromotionStarted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target,
            VersionSpec to) implements ReleaseEvent {
    }

    /** Terminal: the target runs the new version and the canary is gone. */
    record Promoted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, VersionSpec to,
            String summary) implements ReleaseEvent {
    }

    /** Something failed; traffic is going back to the stable version. */
    record RollbackStarted(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, String reason)
            implements ReleaseEvent {
    }

    /** Terminal: all traffic on the untouched stable version, canary removed. */
    record RolledBack(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, String reason)
            implements ReleaseEvent {
    }

    /** Terminal: the release could not be promoted nor rolled back cleanly; an operator must look. */
    record Failed(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, String reason)
            implements ReleaseEvent {
    }

    /**
     * The release holds at step {@code stepIndex}: a pause step, an operator's pause or an
     * inconclusive analysis. {@code resumeAt} is when it goes on by itself; null means it waits
     * for an operator.
     */
    record Paused(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex,
            String reason, Instant resumeAt) implements ReleaseEvent {
    }

    /** The release goes on after a pause; {@code by} is the operator, or {@code timer} for a timed pause. */
    record Resumed(String releaseId, long sequence, Instant occurredAt, WorkloadRef target, int stepIndex, String by)
            implements ReleaseEvent {
    }

    /** An operator action took effect; recorded with who asked and why. */
    record ActionApplied(String releaseId, long sequence, Instant occurredAt, String actionId, ReleaseAction action,
            String requestedBy, String reason) implements ReleaseEvent {
    }

    /**
     * Another request arrived under this release's id with different content (a second release that
     * reused the id, or an edited request sent again). It was not run; this release goes on unchanged.
     * The same request sent again is a retry and is not recorded.
     */
    record RequestRefused(String releaseId, long sequence, Instant occurredAt, String requestedBy, String reason)
            implements ReleaseEvent {
    }

    /** An operator action did not apply in the release's state; nothing was changed. */
    record ActionRejected(String releaseId, long sequence, Instant occurredAt, String actionId, ReleaseAction action,
            String requestedBy, String reason) implements ReleaseEvent {
    }

    /**
     * The request is valid but release {@code behind} is active on the same target; this one starts
     * (with {@link Accepted}) when that one ends, as the {@code position}-th in line. A retried
     * release that has to wait is queued the same way.
     */
    record Queued(String releaseId, long sequence, Instant occurredAt, ReleaseRequested request, String behind,
            int position) implements ReleaseEvent {
    }
}
