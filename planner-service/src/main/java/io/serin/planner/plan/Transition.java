package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.ExecutorCommand;
import io.serin.events.ReleaseEvent;
import io.serin.events.TrafficState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Accumulates one decision. Events get consecutive sequence numbers after the state's last one,
 * which is what keeps each release's log gapless.
 */
final class Transition {

    private ReleaseState state;
    private final Instant now;
    private final List<ReleaseEvent> events = new ArrayList<>();
    private final List<ExecutorCommand> commands = new ArrayList<>();
    private final List<AnalysisCommand> analyses = new ArrayList<>();

    Transition(ReleaseState state, Instant now) {
        this.state = state;
        this.now = now;
    }

    Instant now() {
        return now;
    }

    ReleaseState state() {
        return state;
    }

    void emit(LongFunction<ReleaseEvent> event) {
        long sequence = state.lastSequence() + 1;
        events.add(event.apply(sequence));
        state = state.with(state.phase(), state.stepIndex(), state.pending(), sequence, state.traffic(), now,
                state.outcome());
    }

    void command(ExecutorCommand command) {
        commands.add(command);
    }

    void analysis(AnalysisCommand command) {
        analyses.add(command);
    }

    void moveTo(Phase phase, int stepIndex, String pending) {
        state = state.with(phase, stepIndex, pending, state.lastSequence(), state.traffic(), now, state.outcome());
    }

    /** Rolling back remembers why, so the final RolledBack event can say it. */
    void rollingBack(String pending, String reason) {
        state = state.with(Phase.ROLLING_BACK, state.stepIndex(), pending, state.lastSequence(), state.traffic(), now,
                reason);
    }

    void finish(Phase terminal, String outcome) {
        state = state.with(terminal, state.stepIndex(), null, state.lastSequence(), state.traffic(), now, outcome);
    }

    void traffic(TrafficState traffic) {
        if (traffic != null) {
            state = state.with(state.phase(), state.stepIndex(), state.pending(), state.lastSequence(), traffic, now,
                    state.outcome());
        }
    }

    Decision decision() {
        return new Decision(state, List.copyOf(events), List.copyOf(commands), List.copyOf(analyses), null);
    }
}
