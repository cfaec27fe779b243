package io.serin.planner.plan;

import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator actions, pause steps and timers, driven through the planner directly. */
class OperatorActionsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final ReleasePlanner planner = new ReleasePlanner(io.serin.planner.plan.Requests.validator());
    private final List<ReleaseEvent> log = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<ExecutorCommand> commands = new ArrayList<>();
    private ReleaseState state;
    private int actions;

    private Decision apply(Decision d) {
        assertThat(d.isIgnored()).as("ignored: %s", d.ignoredBecause()).isFalse();
        log.addAll(d.events());
        timers.addAll(d.timers());
        commands.addAll(d.commands());
        state = d.state();
        return d;
    }

    private Decision act(ReleaseAction action) {
        return apply(planner.onAction(new ReleaseActionRequested("r1", "a" + (++actions), action, "alice", "why"),
                state, T0));
    }

    private ReleaseEvent last() {
        return log.get(log.size() - 1);
    }

    private void ok(String commandId) {
        apply(planner.onResult(new ExecutorResult.Succeeded(commandId, "r1", T0, "done", new TrafficState(25, 1, 3)),
                state, T0));
    }

    private void start(CanaryStep... steps) {
        apply(planner.onRequest(Requests.canary("r1", List.of(steps)), "r1", null, T0));
    }

    @Test
    void endsATimedPauseStepWithItsTimerAtTheOriginalTime() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.Pause(Duration.ofMinutes(5)), new CanaryStep.SetWeight(50));
        ok("r1/step-0");
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        Timer resume = timers.stream().filter(t -> t.kind() == Timer.Kind.RESUME).findFirst().orElseThrow();
        assertThat(resume.dueAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(((ReleaseEvent.Paused) last()).resumeAt()).isEqualTo(resume.dueAt());

        apply(planner.onTimer(resume, state, resume.dueAt()));
        assertThat(log).extracting(e -> e.getClass().getSimpleName()).endsWith("Paused", "Resumed", "StepStarted");
        assertThat(((ReleaseEvent.Resumed) log.get(log.size() - 2)).by()).isEqualTo("timer");
        assertThat(commands.get(commands.size() - 1)).isInstanceOfSatisfying(ExecutorCommand.SetCanaryWeight.class,
                c -> assertThat(c.weight()).isEqualTo(50));
        assertThat(planner.onTimer(resume, state, resume.dueAt()).isIgnored()).as("a timer fires once").isTrue();
    }

    @Test
    void waitsAtAnIndefinitePauseUntilAnOperatorPromotes() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null));
        ok("r1/step-0");
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(timers).noneMatch(t -> t.kind() == Timer.Kind.RESUME);

        act(ReleaseAction.PROMOTE);
        assertThat(log).extracting(e -> e.getClass().getSimpleName()).endsWith("ActionApplied", "Resumed",
                "PromotionStarted");
        assertThat(((ReleaseEvent.ActionApplied) log.get(log.size() - 3)).requestedBy()).isEqualTo("alice");
    }

    @Test
    void pausesAtTheNextStepBoundaryAndResumesFromThere() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.SetWeight(50));
        act(ReleaseAction.PAUSE);
        assertThat(state.phase()).as("the step in flight completes first").isEqualTo(Phase.APPLYING_STEP);
        ok("r1/step-0");
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(((ReleaseEvent.Paused) last()).reason()).isEqualTo("paused by alice");

        act(ReleaseAction.RESUME);
        assertThat(state.phase()).isEqualTo(Phase.APPLYING_STEP);
        assertThat(state.stepIndex()).isEqualTo(1);
    }

    @Test
    void skipsTheRunningAnalysisOnPromoteAndIgnoresItsLateVerdict() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.Analysis(Duration.ofMinutes(10), List.of(Requests.errorRate(0.05))),
                new CanaryStep.SetWeight(50));
        ok("r1/step-0");
        act(ReleaseAction.PROMOTE);
        assertThat(state.stepIndex()).isEqualTo(2);
        assertThat(planner.onVerdict(new io.serin.events.AnalysisVerdict("r1/step-1", "r1",
                io.serin.events.Verdict.FAILED, "late", T0, List.of()), state, T0).isIgnored()).isTrue();
    }

    @Test
    void promotesFullyOrAbortsFromAnyActiveStep() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.SetWeight(50));
        act(ReleaseAction.PROMOTE_FULL);
        assertThat(state.phase()).isEqualTo(Phase.PROMOTING);
        assertThat(commands.get(commands.size() - 1)).isInstanceOf(ExecutorCommand.PromoteCanary.class);

        state = null;
        log.clear();
        start(new CanaryStep.SetWeight(10));
        act(ReleaseAction.ABORT);
        assertThat(state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(((ReleaseEvent.RollbackStarted) last()).reason()).isEqualTo("aborted by alice: why");
    }

    @Test
    void rejectsActionsThatDoNotApplyAndRecordsWhoAsked() {
        start(new CanaryStep.SetWeight(10));
        long before = state.lastSequence();
        act(ReleaseAction.RETRY);
        ReleaseEvent.ActionRejected rejected = (ReleaseEvent.ActionRejected) last();
        assertThat(rejected.reason()).contains("only a rolled-back release can be retried");
        assertThat(rejected.requestedBy()).isEqualTo("alice");
        assertThat(rejected.sequence()).isEqualTo(before + 1);
        assertThat(state.phase()).as("nothing half-applied").isEqualTo(Phase.APPLYING_STEP);

        act(ReleaseAction.PROMOTE);
        assertThat(((ReleaseEvent.ActionRejected) last()).reason()).contains("is being applied");
        act(ReleaseAction.RESUME);
        assertThat(((ReleaseEvent.ActionRejected) last()).reason()).contains("not paused");
    }

    @Test
    void appliesARedeliveredActionOnce() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.SetWeight(20));
        var pause = new ReleaseActionRequested("r1", "same-id", ReleaseAction.PAUSE, "alice", null);
        apply(planner.onAction(pause, state, T0));
        assertThat(planner.onAction(pause, state, T0).isIgnored()).isTrue();
    }

    @Test
    void retriesARolledBackReleaseWithFreshCommandIds() {
        start(new CanaryStep.SetWeight(10));
        act(ReleaseAction.ABORT);
        ok("r1/rollback");
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);

        Decision retry = apply(planner.onAction(new ReleaseActionRequested("r1", null, ReleaseAction.RETRY, "alice",
                null), state, T0));
        // the retry waits for its target to be free again, like a new request
        assertThat(state.phase()).isEqualTo(Phase.QUEUED);
        assertThat(retry.admission()).isEqualTo(state.request());
        apply(planner.onAdmission(new Admissions.Outcome(Admissions.Outcome.Kind.ADMITTED, state.request(), null, 0,
                null), state, T0));
        assertThat(state.phase()).isEqualTo(Phase.APPLYING_STEP);
        assertThat(state.pending()).isEqualTo("r1/step-0/retry-1");
        assertThat(log).extracting(ReleaseEvent::sequence).doesNotHaveDuplicates()
                .isSorted().last().isEqualTo((long) log.size());
    }

    @Test
    void rollsBackAStepTheExecutorDoesNotConfirmByTheProgressDeadline() {
        start(new CanaryStep.SetWeight(10));
        Timer deadline = timers.get(0);
        assertThat(deadline.dueAt()).isEqualTo(T0.plus(Plan.DEFAULT_PROGRESS_DEADLINE));
        apply(planner.onTimer(deadline, state, deadline.dueAt()));
        assertThat(state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(((ReleaseEvent.RollbackStarted) last()).reason()).startsWith("step 1 of 1 (set weight 10%) not confirmed by");

        Timer rollbackDeadline = timers.get(timers.size() - 1);
        apply(planner.onTimer(rollbackDeadline, state, rollbackDeadline.dueAt()));
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
    }

    @Test
    void ignoresADeadlineOfAStepThatWasConfirmed() {
        start(new CanaryStep.SetWeight(10), new CanaryStep.SetWeight(20));
        Timer deadline = timers.get(0);
        ok("r1/step-0");
        assertThat(planner.onTimer(deadline, state, deadline.dueAt()).isIgnored()).isTrue();
    }

    @Test
    void decidesEveryActionInEveryPhase() {
        // the table answers for every pair, so the REST API can always say yes or why not
        for (Phase phase : Phase.values()) {
            ReleaseState s = ReleaseState.start("r1", Requests.canary("r1"), phase, T0);
            for (ReleaseAction action : ReleaseAction.values()) {
                Optional<String> why = Actions.whyNot(action, s);
                if (phase.terminal() && action != ReleaseAction.RETRY) {
                    assertThat(why).as("%s in %s", action, phase).isPresent();
                }
            }
        }
        ReleaseState paused = ReleaseState.start("r1", Requests.canary("r1"), Phase.PAUSED, T0);
        assertThat(EnumSet.allOf(ReleaseAction.class)).filteredOn(a -> Actions.whyNot(a, paused).isEmpty())
                .containsExactlyInAnyOrder(ReleaseAction.RESUME, ReleaseAction.PROMOTE, ReleaseAction.PROMOTE_FULL,
                        ReleaseAction.ABORT);
    }
}
