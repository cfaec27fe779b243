package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.ExecutorCommand;
import io.serin.events.ReleaseEvent;

import java.util.List;

/**
 * What the planner decided for one input: the release's new state, what to emit and which timers
 * to set. An input that changes nothing (a duplicate, a stale result) yields {@link #ignored(String)}
 * with the reason. The processor writes all of it in one Kafka transaction, so nothing diverges.
 */
public record Decision(ReleaseState state, List<ReleaseEvent> events, List<ExecutorCommand> commands,
        List<AnalysisCommand> analyses, List<Timer> timers, String ignoredBecause) {

    public static Decision ignored(String reason) {
        return new Decision(null, List.of(), List.of(), List.of(), List.of(), reason);
    }

    public boolean isIgnored() {
        return ignoredBecause != null;
    }
}
