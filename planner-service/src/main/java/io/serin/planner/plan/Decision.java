package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.ExecutorCommand;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;

import java.util.List;

/**
 * What the planner decided for one input: the release's new state, what to emit and which timers
 * to set. An input that changes nothing (a duplicate, a stale result) yields {@link #ignored(String)}
 * with the reason. The processor writes all of it in one Kafka transaction, so nothing diverges.
 * {@code admission} is a request that must (again) be admitted to its target before it can run.
 */
public record Decision(ReleaseState state, List<ReleaseEvent> events, List<ExecutorCommand> commands,
        List<AnalysisCommand> analyses, List<Timer> timers, String ignoredBecause, ReleaseRequested admission) {

    public static Decision ignored(String reason) {
        return new Decision(null, List.of(), List.of(), List.of(), List.of(), reason, null);
    }

    public boolean isIgnored() {
        return ignoredBecause != null;
    }
}
