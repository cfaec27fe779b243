package io.serin.events;

/**
 * "Move this workload to that version with this strategy." Idempotent by {@code releaseId}: a
 * second request with the same id is a duplicate, not a new release.
 *
 * @param requestedBy   who asked (CI job, user), recorded in the event log
 * @param notifications optional extra chat routes for this release
 */
public record ReleaseRequested(String releaseId, WorkloadRef target, VersionSpec to, Strategy strategy,
        String requestedBy, Notifications notifications) implements ReleaseRequestMessage {

    /** A request without its own notification routes. */
    public ReleaseRequested(String releaseId, WorkloadRef target, VersionSpec to, Strategy strategy,
            String requestedBy) {
        this(releaseId, target, to, strategy, requestedBy, null);
    }
}
