package io.serin.planner.plan;

import io.serin.events.ReleaseRequested;
import io.serin.events.TrafficState;

import java.time.Instant;

/**
 * A release as the planner remembers it, persisted in the state store (JSON). Everything the next
 * decision needs is here, so a restarted planner continues exactly where it stopped.
 *
 * @param stepIndex     index of the current step; -1 before the first, steps.size() once all passed
 * @param pending       id of the command or analysis the release waits for, null when terminal
 * @param lastSequence  sequence number of the last event emitted for this release
 */
public record ReleaseState(String releaseId, ReleaseRequested request, Phase phase, int stepIndex, String pending,
        long lastSequence, TrafficState traffic, Instant createdAt, Instant updatedAt, String outcome) {

    ReleaseState with(Phase newPhase, int newStepIndex, String newPending, long newLastSequence,
            TrafficState newTraffic, Instant now, String newOutcome) {
        return new ReleaseState(releaseId, request, newPhase, newStepIndex, newPending, newLastSequence, newTraffic,
                createdAt, now, newOutcome);
    }
}
