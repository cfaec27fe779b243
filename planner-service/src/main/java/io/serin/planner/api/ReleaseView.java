package io.serin.planner.api;

import io.serin.events.AnalysisVerdict;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.planner.plan.Phase;
import io.serin.planner.plan.ReleaseState;

import java.time.Instant;
import java.util.List;

/** A release as the REST API shows it: where it stands, its traffic, its last verdict and its history. */
public record ReleaseView(String releaseId, WorkloadRef target, VersionSpec to, String strategy, Phase phase,
        Integer step, Integer stepCount, String pausedBy, Instant resumeAt, TrafficState traffic,
        AnalysisVerdict lastVerdict, String outcome, Instant createdAt, Instant updatedAt,
        List<ReleaseState.HistoryEntry> history) {

    static ReleaseView of(ReleaseState s, boolean withHistory) {
        var request = s.request();
        Integer stepCount = request == null ? null : io.serin.planner.plan.Plans.stepCount(request);
        // shown as the event log shows it: URLs without userinfo or query
        return io.serin.events.policy.Redaction.shown(new ReleaseView(s.releaseId(), request == null ? null : request.target(),
                request == null ? null : request.to(),
                request == null ? null : io.serin.planner.plan.Plans.strategyName(request), s.phase(),
                s.stepIndex() < 0 ? null : s.stepIndex() + 1, stepCount, s.holdBy(), s.resumeAt(), s.traffic(),
                s.lastVerdict(), s.outcome(), s.createdAt(), s.updatedAt(), withHistory ? s.history() : null));
    }
}
