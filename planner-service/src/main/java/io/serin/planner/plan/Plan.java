package io.serin.planner.plan;

import io.serin.events.BackgroundAnalysis;
import io.serin.events.ExecutorCommand;
import io.serin.events.Strategy;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A release request compiled into steps the state machine runs one after another, plus how it
 * promotes and how it rolls back.
 *
 * @param promote            the promotion command built from its id; null when the last step
 *                           already made the new version the stable one (rolling, recreate)
 * @param promotedSummary    what promotion means, when {@code promote} is null
 * @param rollback           the rollback command built from its id and the reason
 * @param background         an analysis running beside the steps, or null
 * @param backgroundFrom     the index of the step whose start starts {@code background}
 */
record Plan(String strategy, List<PlanStep> steps, Function<String, ExecutorCommand> promote, String promotedSummary,
        RollbackFactory rollback, Duration progressDeadline, Strategy.InconclusivePolicy onInconclusive,
        BackgroundAnalysis background, int backgroundFrom) {

    static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(15);

    /** Builds the rollback command from its id and reason. */
    @FunctionalInterface
    interface RollbackFactory {
        ExecutorCommand build(String commandId, String reason);
    }

    Duration deadline() {
        return progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
    }

    boolean pauseOnInconclusive() {
        return onInconclusive != Strategy.InconclusivePolicy.ROLLBACK;
    }

    PlanStep step(int index) {
        return index >= 0 && index < steps.size() ? steps.get(index) : null;
    }
}
