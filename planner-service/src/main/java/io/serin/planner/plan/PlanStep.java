package io.serin.planner.plan;

import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.MetricCheck;
import io.serin.events.Webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One step of a compiled {@link Plan}. Every strategy compiles to these five kinds, so the state
 * machine is the same for all of them. Steps are derived from the request whenever needed and never
 * stored, so they may hold functions.
 */
sealed interface PlanStep {

    /** What the step does, for the event log. */
    String description();

    /** The canary step it came from; null for the steps other strategies run and for gates. */
    default CanaryStep requested() {
        return null;
    }

    /** A command for the executor, built from its id; done when the executor confirms it. */
    record Act(String description, CanaryStep requested, Function<String, ExecutorCommand> command)
            implements PlanStep {
    }

    /**
     * An analysis that blocks the release until its verdict; up to {@code failureLimit} FAILED and
     * {@code inconclusiveLimit} INCONCLUSIVE verdicts run it again instead of deciding. Each run
     * judges {@code duration} of samples after an unjudged warm-up of {@code initialDelay} (zero
     * when the request sets none).
     */
    record Analyze(String description, CanaryStep requested, Duration duration, List<MetricCheck> metrics,
            int failureLimit, int inconclusiveLimit, Duration initialDelay) implements PlanStep {

        /** When a run that starts at {@code now} begins judging (its start command's {@code startAt}). */
        Instant judgedFrom(Instant now) {
            return now.plus(initialDelay);
        }
    }

    /** Hold for {@code duration}, or until an operator promotes when it is null. */
    record Wait(String description, CanaryStep requested, Duration duration) implements PlanStep {
    }

    /** Ask webhook gate {@code gate} until it says go or the progress deadline passes. */
    record Gate(String description, String gate, Webhook webhook) implements PlanStep {
    }

    /** Both versions served until an operator retires the old one (API versions side by side). */
    record Serve(String description) implements PlanStep {
    }
}
