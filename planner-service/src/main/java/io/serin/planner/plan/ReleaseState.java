package io.serin.planner.plan;

import io.serin.events.AnalysisVerdict;
import io.serin.events.ReleaseRequested;
import io.serin.events.TrafficState;

import java.time.Instant;
import java.util.List;

/**
 * A release as the planner remembers it, persisted in the state store (JSON). Everything the next
 * decision needs is here, so a restarted planner continues exactly where it stopped.
 *
 * @param stepIndex    index of the current step; -1 before the first
 * @param pending      id of the command or analysis the release waits for; null otherwise
 * @param lastSequence sequence number of the last event emitted for this release
 * @param holdBy       who asked to pause at the next step boundary; null when nobody did
 * @param resumeAt     when a timed pause ends; null when not paused or paused until an operator acts
 * @param lastVerdict  the latest analysis verdict, for the status API
 * @param actionIds    ids of recently applied operator actions, so a redelivered action applies once
 * @param history      the release's event log in brief, for the status API
 * @param attempt      how often the release was retried; part of every command id, so ids never repeat
 * @param gateAsks     how often the current gate step has been asked; part of its command ids
 * @param background   id of the running background analysis; null when none runs
 * @param failures     FAILED verdicts tolerated so far in the current analysis step
 * @param inconclusives INCONCLUSIVE verdicts tolerated so far in the current analysis step
 */
public record ReleaseState(String releaseId, ReleaseRequested request, Phase phase, int stepIndex, String pending,
        long lastSequence, TrafficState traffic, Instant createdAt, Instant updatedAt, String outcome, String holdBy,
        Instant resumeAt, AnalysisVerdict lastVerdict, List<String> actionIds, List<HistoryEntry> history,
        int attempt, int gateAsks, String background, int failures, int inconclusives) {

    /** One line of the release's history. */
    public record HistoryEntry(long sequence, String event, Instant at) {
    }

    static ReleaseState start(String releaseId, ReleaseRequested request, Phase phase, Instant now) {
        return new ReleaseState(releaseId, request, phase, -1, null, 0, null, now, now, null, null, null, null,
                List.of(), List.of(), 0, 0, null, 0, 0);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change, because a record with this many fields is unreadable to rebuild by hand. */
    static final class Builder {
        private final ReleaseState s;
        Phase phase;
        int stepIndex;
        String pending;
        long lastSequence;
        TrafficState traffic;
        Instant updatedAt;
        String outcome;
        String holdBy;
        Instant resumeAt;
        AnalysisVerdict lastVerdict;
        List<String> actionIds;
        List<HistoryEntry> history;
        int attempt;
        int gateAsks;
        String background;
        int failures;
        int inconclusives;

        private Builder(ReleaseState s) {
            this.s = s;
            phase = s.phase;
            stepIndex = s.stepIndex;
            pending = s.pending;
            lastSequence = s.lastSequence;
            traffic = s.traffic;
            updatedAt = s.updatedAt;
            outcome = s.outcome;
            holdBy = s.holdBy;
            resumeAt = s.resumeAt;
            lastVerdict = s.lastVerdict;
            actionIds = s.actionIds == null ? List.of() : s.actionIds;
            history = s.history == null ? List.of() : s.history;
            attempt = s.attempt;
            gateAsks = s.gateAsks;
            background = s.background;
            failures = s.failures;
            inconclusives = s.inconclusives;
        }

        ReleaseState build() {
            return new ReleaseState(s.releaseId, s.request, phase, stepIndex, pending, lastSequence, traffic,
                    s.createdAt, updatedAt, outcome, holdBy, resumeAt, lastVerdict, actionIds, history, attempt,
                    gateAsks, background, failures, inconclusives);
        }
    }
}
