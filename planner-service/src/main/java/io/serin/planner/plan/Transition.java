package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.ExecutorCommand;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Accumulates one decision. Events get consecutive sequence numbers after the state's last one,
 * which is what keeps each release's log gapless.
 */
final class Transition {

    private static final int HISTORY_LIMIT = 200;
    private static final int ACTION_ID_LIMIT = 50;

    private ReleaseState state;
    private final Instant now;
    private final List<ReleaseEvent> events = new ArrayList<>();
    private final List<ExecutorCommand> commands = new ArrayList<>();
    private final List<AnalysisCommand> analyses = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private ReleaseRequested admission;

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
        ReleaseEvent e = event.apply(sequence);
        events.add(e);
        update(b -> {
            b.lastSequence = sequence;
            List<ReleaseState.HistoryEntry> history = new ArrayList<>(b.history);
            history.add(new ReleaseState.HistoryEntry(sequence, e.getClass().getSimpleName(), now));
            b.history = List.copyOf(history.subList(Math.max(0, history.size() - HISTORY_LIMIT), history.size()));
        });
    }

    void command(ExecutorCommand command) {
        commands.add(command);
    }

    void analysis(AnalysisCommand command) {
        analyses.add(command);
    }

    void timer(Timer timer) {
        timers.add(timer);
    }

    void admit(ReleaseRequested request) {
        admission = request;
    }

    void update(Consumer<ReleaseState.Builder> change) {
        ReleaseState.Builder b = state.toBuilder();
        change.accept(b);
        b.updatedAt = now;
        state = b.build();
    }

    void moveTo(Phase phase, int stepIndex, String pending) {
        update(b -> {
            b.phase = phase;
            b.stepIndex = stepIndex;
            b.pending = pending;
            b.resumeAt = null;
        });
    }

    void finish(Phase terminal, String outcome) {
        update(b -> {
            b.phase = terminal;
            b.pending = null;
            b.resumeAt = null;
            b.holdBy = null;
            b.outcome = outcome;
        });
    }

    void rememberAction(String actionId) {
        if (actionId != null) {
            update(b -> {
                List<String> ids = new ArrayList<>(b.actionIds);
                ids.add(actionId);
                b.actionIds = List.copyOf(ids.subList(Math.max(0, ids.size() - ACTION_ID_LIMIT), ids.size()));
            });
        }
    }

    Decision decision() {
        return new Decision(state, List.copyOf(events), List.copyOf(commands), List.copyOf(analyses),
                List.copyOf(timers), null, admission);
    }
}
