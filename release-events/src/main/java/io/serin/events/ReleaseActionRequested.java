package io.serin.events;

/**
 * An operator action on a release. It travels on the release's own key, so it is ordered with
 * everything else that happens to the release, and the planner records it in the event log with
 * who asked. An action that does not apply in the release's state is recorded as rejected.
 *
 * @param actionId unique per action (idempotency: a redelivered action is applied once)
 */
public record ReleaseActionRequested(String releaseId, String actionId, ReleaseAction action, String requestedBy,
        String reason) implements ReleaseRequestMessage {
}
