package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Verdict;
import io.serin.events.Violation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The release state machine. Pure: given the stored state and one input it returns a
 * {@link Decision}; it never touches Kafka. Promotion follows the last step; a failed step, a
 * failed command, a FAILED verdict or a step not confirmed in time rolls back; an INCONCLUSIVE
 * verdict pauses (or rolls back, if the request says so). Operator actions are decided by
 * {@link Actions}.
 */
public final class ReleasePlanner {

    static final Duration DEFAULT_GATE_RETRY = Duration.ofSeconds(30);

    private final RequestValidator validator;

    public ReleasePlanner(RequestValidator validator) {
        this.validator = validator;
    }

    /** A new request. A request for a release id that already exists is a duplicate and changes nothing. */
    public Decision onRequest(ReleaseRequested request, String recordKey, ReleaseState existing, Instant now) {
        if (existing != null) {
            return Decision.ignored("release " + existing.releaseId() + " already exists (" + existing.phase()
                    + "); duplicate request ignored");
        }
        List<Violation> violations = validator.validate(request, recordKey);
        if (!violations.isEmpty()) {
            return reject(request.releaseId() != null ? request.releaseId() : recordKey, request.requestedBy(),
                    violations, now);
        }
        Transition t = new Transition(ReleaseState.start(request.releaseId(), request, Phase.APPLYING_STEP, now), now);
        t.emit(seq -> new ReleaseEvent.Accepted(request.releaseId(), seq, now, request));
        advance(t);
        return t.decision();
    }

    /** The field-level problems of a request; a request without any goes on to admission. */
    public List<Violation> check(ReleaseRequested request, String recordKey) {
        return validator.validate(request, recordKey);
    }

    /**
     * Admission decided: the release starts now (a new one, a queued one, or a retried one that
     * waited), waits in line, or is rejected because its target is busy and the line full.
     */
    public Decision onAdmission(Admissions.Outcome outcome, ReleaseState existing, Instant now) {
        ReleaseRequested request = outcome.request();
        switch (outcome.kind()) {
            case ADMITTED -> {
                if (existing == null) {
                    return onRequest(request, request.releaseId(), null, now);
                }
                if (existing.phase() != Phase.QUEUED) {
                    return Decision.ignored("release " + existing.releaseId() + " was already admitted");
                }
                Transition t = new Transition(existing, now);
                if (existing.attempt() == 0) {
                    t.emit(seq -> new ReleaseEvent.Accepted(request.releaseId(), seq, now, request));
                    t.moveTo(Phase.APPLYING_STEP, -1, null);
                    advance(t);
                } else {
                    startAttempt(t);
                }
                return t.decision();
            }
            case QUEUED -> {
                if (existing != null && existing.phase() != Phase.QUEUED) {
                    return Decision.ignored("release " + existing.releaseId() + " is already " + existing.phase());
                }
                Transition t = new Transition(existing != null ? existing
                        : ReleaseState.start(request.releaseId(), request, Phase.QUEUED, now), now);
                t.emit(seq -> new ReleaseEvent.Queued(request.releaseId(), seq, now, request, outcome.behind(),
                        outcome.position()));
                return t.decision();
            }
            case REJECTED -> {
                if (existing != null) {
                    return Decision.ignored("release " + existing.releaseId() + " already exists");
                }
                return reject(request.releaseId(), request.requestedBy(),
                        List.of(new Violation("target", outcome.reason())), now);
            }
            default -> throw new IllegalStateException("unhandled admission " + outcome.kind());
        }
    }

    /**
     * A request under the id of an existing release, with other content: not run, and recorded in
     * that release's log (which goes on unchanged). The same request again is a retry: ignored.
     */
    public Decision onReusedId(ReleaseRequested request, ReleaseState existing, Instant now) {
        if (java.util.Objects.equals(existing.request(), request)) {
            return Decision.ignored("release " + existing.releaseId() + " already exists (" + existing.phase()
                    + "); duplicate request ignored");
        }
        String reason = "release id '" + existing.releaseId() + "' is already used by a release with different "
                + "content (" + existing.phase() + "); this request was not run";
        Transition t = new Transition(existing, now);
        t.emit(seq -> new ReleaseEvent.RequestRefused(existing.releaseId(), seq, now, request.requestedBy(), reason));
        return t.decision();
    }

    /** A request whose payload could not even be read into a request; recorded as a rejection. */
    public Decision reject(String releaseId, String requestedBy, List<Violation> violations, Instant now) {
        Transition t = new Transition(ReleaseState.start(releaseId, null, Phase.REJECTED, now), now);
        t.emit(seq -> new ReleaseEvent.Rejected(releaseId, seq, now, requestedBy, violations));
        t.finish(Phase.REJECTED, "rejected: " + violations);
        return t.decision();
    }

    /** Why {@code action} cannot apply to the release now, or empty if it can (also used by the REST API). */
    public Optional<String> whyNot(ReleaseActionRequested action, ReleaseState state) {
        return Actions.whyNot(action.action(), state);
    }

    /** An operator action: applied and recorded, or recorded as rejected with the reason. */
    public Decision onAction(ReleaseActionRequested action, ReleaseState state, Instant now) {
        if (state == null) {
            return Decision.ignored("no release " + action.releaseId());
        }
        if (action.actionId() != null && state.actionIds() != null && state.actionIds().contains(action.actionId())) {
            return Decision.ignored("action " + action.actionId() + " was already applied");
        }
        Transition t = new Transition(state, now);
        t.rememberAction(action.actionId());
        Optional<String> whyNot = Actions.whyNot(action.action(), state);
        if (whyNot.isPresent()) {
            t.emit(seq -> new ReleaseEvent.ActionRejected(state.releaseId(), seq, now, action.actionId(),
                    action.action(), action.requestedBy(), whyNot.get()));
            return t.decision();
        }
        t.emit(seq -> new ReleaseEvent.ActionApplied(state.releaseId(), seq, now, action.actionId(), action.action(),
                action.requestedBy(), action.reason()));
        new Actions(this).apply(action, t);
        return t.decision();
    }

    /** What the executor reports for a command. Results for anything but the pending command are stale. */
    public Decision onResult(ExecutorResult result, ReleaseState state, Instant now) {
        if (state == null || state.phase().terminal() || !result.commandId().equals(state.pending())) {
            return Decision.ignored("result for " + result.commandId() + " does not match the pending step of "
                    + (state == null ? "an unknown release" : state.releaseId() + " (" + state.phase() + ")"));
        }
        Transition t = new Transition(state, now);
        var target = state.request().target();
        Plan plan = plan(state);
        if (result instanceof ExecutorResult.Succeeded ok) {
            switch (state.phase()) {
                case APPLYING_STEP -> {
                    if (ok.traffic() != null) {
                        t.update(b -> b.traffic = ok.traffic());
                    }
                    if (plan.step(state.stepIndex()) instanceof PlanStep.Gate && state.gateAsks() > 1) {
                        t.emit(seq -> new ReleaseEvent.Resumed(state.releaseId(), seq, now, target,
                                state.stepIndex(), "gate, after " + state.gateAsks() + " asks"));
                    }
                    t.emit(seq -> new ReleaseEvent.StepCompleted(state.releaseId(), seq, now, target,
                            state.stepIndex(), plan.steps().size(), ok.summary(), ok.traffic()));
                    t.update(b -> b.pending = null);
                    advance(t);
                }
                case PROMOTING -> promoted(t, ok.summary());
                case ROLLING_BACK -> {
                    if (ok.traffic() != null) {
                        t.update(b -> b.traffic = ok.traffic());
                    }
                    t.emit(seq -> new ReleaseEvent.RolledBack(state.releaseId(), seq, now, target, state.outcome()));
                    t.finish(Phase.ROLLED_BACK, state.outcome());
                }
                default -> throw new IllegalStateException("command pending in phase " + state.phase());
            }
        } else if (result instanceof ExecutorResult.Failed failed) {
            String why = failed.reason() + ": " + failed.message();
            switch (state.phase()) {
                case APPLYING_STEP -> {
                    if (plan.step(state.stepIndex()) instanceof PlanStep.Gate gate
                            && failed.reason() == FailureReason.GATE_CLOSED) {
                        askAgainLater(t, gate, failed.message());
                    } else {
                        rollback(t, "step " + (state.stepIndex() + 1) + " of " + plan.steps().size()
                                + " could not be applied: " + why);
                    }
                }
                case PROMOTING, ROLLING_BACK -> fail(t, (state.phase() == Phase.PROMOTING ? "promotion" : "rollback")
                        + " failed: " + why);
                default -> throw new IllegalStateException("command pending in phase " + state.phase());
            }
        } else {
            throw new IllegalStateException("unhandled result " + result.getClass());
        }
        return t.decision();
    }

    /**
     * An analysis verdict: SUCCESSFUL goes on, FAILED rolls back, INCONCLUSIVE follows the request's
     * policy. A background analysis's verdict only matters when it is FAILED.
     */
    public Decision onVerdict(AnalysisVerdict verdict, ReleaseState state, Instant now) {
        if (state != null && !state.phase().terminal() && verdict.analysisId().equals(state.background())) {
            return onBackgroundVerdict(verdict, state, now);
        }
        if (state == null || state.phase() != Phase.ANALYZING || !verdict.analysisId().equals(state.pending())) {
            return Decision.ignored("verdict for " + verdict.analysisId() + " does not match the pending analysis of "
                    + (state == null ? "an unknown release" : state.releaseId() + " (" + state.phase() + ")"));
        }
        Transition t = new Transition(state, now);
        t.update(b -> {
            b.lastVerdict = verdict;
            b.pending = null;
        });
        t.emit(seq -> new ReleaseEvent.AnalysisCompleted(state.releaseId(), seq, now, state.request().target(),
                state.stepIndex(), verdict));
        Plan plan = plan(state);
        if (plan.step(state.stepIndex()) instanceof PlanStep.Analyze step && tolerated(verdict, state, step)) {
            analyzeAgain(t, step, verdict);
            return t.decision();
        }
        if (verdict.verdict() == Verdict.SUCCESSFUL) {
            advance(t);
        } else if (verdict.verdict() == Verdict.INCONCLUSIVE && plan.pauseOnInconclusive()) {
            pause(t, "analysis INCONCLUSIVE: " + verdict.reason() + "; promote to go on, abort to roll back", null);
        } else {
            rollback(t, "analysis " + verdict.verdict() + ": " + verdict.reason());
        }
        return t.decision();
    }

    /** Whether a step's failure or inconclusive limit still tolerates this verdict. */
    private static boolean tolerated(AnalysisVerdict verdict, ReleaseState s, PlanStep.Analyze step) {
        return verdict.verdict() == Verdict.FAILED && s.failures() < step.failureLimit()
                || verdict.verdict() == Verdict.INCONCLUSIVE && s.inconclusives() < step.inconclusiveLimit();
    }

    /** Runs the step's analysis once more, with a fresh id; the tolerated verdict is on record. */
    private void analyzeAgain(Transition t, PlanStep.Analyze step, AnalysisVerdict verdict) {
        ReleaseState s = t.state();
        boolean failed = verdict.verdict() == Verdict.FAILED;
        int run = s.failures() + s.inconclusives() + 2;
        String id = stepId(s, s.stepIndex()) + "/run-" + run;
        t.update(b -> {
            b.failures = failed ? b.failures + 1 : b.failures;
            b.inconclusives = failed ? b.inconclusives : b.inconclusives + 1;
            b.pending = id;
        });
        Plan plan = plan(s);
        Instant judgedFrom = step.judgedFrom(t.now());
        t.analysis(new AnalysisCommand.Start(id, s.releaseId(), judgedFrom, step.duration(),
                Plans.withDefaults(step.metrics()), s.request().target()));
        t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id,
                judgedFrom.plus(step.duration()).plus(plan.deadline())));
    }

    private Decision onBackgroundVerdict(AnalysisVerdict verdict, ReleaseState state, Instant now) {
        Transition t = new Transition(state, now);
        t.update(b -> {
            b.lastVerdict = verdict;
            b.background = null;
        });
        t.emit(seq -> new ReleaseEvent.AnalysisCompleted(state.releaseId(), seq, now, state.request().target(),
                state.stepIndex(), verdict));
        boolean active = state.phase() == Phase.APPLYING_STEP || state.phase() == Phase.ANALYZING
                || state.phase() == Phase.PAUSED || state.phase() == Phase.SERVING;
        if (verdict.verdict() == Verdict.FAILED && active) {
            rollback(t, "background analysis FAILED: " + verdict.reason());
        }
        return t.decision();
    }

    /** A timer came due. Stale timers (the release moved on) change nothing. */
    public Decision onTimer(Timer timer, ReleaseState state, Instant now) {
        if (state == null || state.phase().terminal()) {
            return Decision.ignored("timer " + timer.kind() + " " + timer.ref() + " for a finished or unknown release");
        }
        Transition t = new Transition(state, now);
        Plan plan = plan(state);
        switch (timer.kind()) {
            case RESUME -> {
                if (state.phase() != Phase.PAUSED || !timer.ref().equals(pauseRef(state.stepIndex(), state.resumeAt()))) {
                    return Decision.ignored("pause " + timer.ref() + " already ended");
                }
                resume(t, "timer");
            }
            case ASK_AGAIN -> {
                if (state.phase() != Phase.APPLYING_STEP || state.pending() != null
                        || !(plan.step(state.stepIndex()) instanceof PlanStep.Gate gate)
                        || !timer.ref().equals(askId(state, state.gateAsks() + 1))) {
                    return Decision.ignored("gate ask " + timer.ref() + " is no longer due");
                }
                ask(t, gate);
            }
            case DEADLINE -> {
                boolean gateOpen = state.phase() == Phase.APPLYING_STEP
                        && plan.step(state.stepIndex()) instanceof PlanStep.Gate
                        && timer.ref().equals(stepId(state, state.stepIndex()));
                if (!timer.ref().equals(state.pending()) && !gateOpen) {
                    return Decision.ignored(timer.ref() + " was confirmed in time");
                }
                String what = switch (state.phase()) {
                    case APPLYING_STEP, ANALYZING -> "step " + (state.stepIndex() + 1) + " of " + plan.steps().size()
                            + " (" + plan.step(state.stepIndex()).description() + ")";
                    case PROMOTING -> "promotion";
                    case ROLLING_BACK -> "rollback";
                    default -> throw new IllegalStateException("deadline in phase " + state.phase());
                };
                String reason = what + " not confirmed by " + timer.dueAt() + " (progress deadline "
                        + plan.deadline() + ")";
                if (state.phase() == Phase.PROMOTING || state.phase() == Phase.ROLLING_BACK) {
                    fail(t, reason);
                } else {
                    rollback(t, reason);
                }
            }
            default -> throw new IllegalStateException("unhandled timer " + timer.kind());
        }
        return t.decision();
    }

    /** Starts the step after the current one, or promotes after the last; holds first if an operator asked. */
    void advance(Transition t) {
        ReleaseState s = t.state();
        if (s.holdBy() != null) {
            pause(t, "paused by " + s.holdBy(), null);
            return;
        }
        Plan plan = plan(s);
        int next = s.stepIndex() + 1;
        if (next >= plan.steps().size()) {
            promote(t);
            return;
        }
        PlanStep step = plan.steps().get(next);
        t.emit(seq -> new ReleaseEvent.StepStarted(s.releaseId(), seq, t.now(), s.request().target(), next,
                plan.steps().size(), step.requested(), step.description()));
        if (next == plan.backgroundFrom() && s.background() == null) {
            startBackground(t, plan);
        }
        String id = stepId(s, next);
        if (step instanceof PlanStep.Act act) {
            t.moveTo(Phase.APPLYING_STEP, next, id);
            t.command(act.command().apply(id));
            t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id, t.now().plus(plan.deadline())));
        } else if (step instanceof PlanStep.Analyze analysis) {
            t.moveTo(Phase.ANALYZING, next, id);
            t.update(b -> {
                b.failures = 0;
                b.inconclusives = 0;
            });
            // the warm-up (initialDelay) is not judged: the analyzer's window starts after it, and
            // the deadline waits for it too
            Instant judgedFrom = analysis.judgedFrom(t.now());
            t.analysis(new AnalysisCommand.Start(id, s.releaseId(), judgedFrom, analysis.duration(),
                    Plans.withDefaults(analysis.metrics()), s.request().target()));
            t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id,
                    judgedFrom.plus(analysis.duration()).plus(plan.deadline())));
        } else if (step instanceof PlanStep.Wait wait) {
            t.moveTo(Phase.PAUSED, next, null);
            Instant resumeAt = wait.duration() == null ? null : t.now().plus(wait.duration());
            pause(t, wait.description(), resumeAt);
        } else if (step instanceof PlanStep.Gate gate) {
            t.moveTo(Phase.APPLYING_STEP, next, null);
            t.update(b -> b.gateAsks = 0);
            t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id, t.now().plus(plan.deadline())));
            ask(t, gate);
        } else if (step instanceof PlanStep.Serve serve) {
            t.moveTo(Phase.SERVING, next, null);
            t.emit(seq -> new ReleaseEvent.Paused(s.releaseId(), seq, t.now(), s.request().target(), next,
                    serve.description(), null));
        } else {
            throw new IllegalStateException("unhandled plan step " + step.getClass());
        }
    }

    private void startBackground(Transition t, Plan plan) {
        ReleaseState s = t.state();
        String id = s.releaseId() + "/background" + attempt(s);
        t.update(b -> b.background = id);
        t.analysis(new AnalysisCommand.Start(id, s.releaseId(),
                t.now().plus(Plans.orZero(plan.background().initialDelay())), plan.background().duration(),
                Plans.withDefaults(plan.background().metrics()), s.request().target()));
    }

    private void ask(Transition t, PlanStep.Gate gate) {
        ReleaseState s = t.state();
        int n = s.gateAsks() + 1;
        String id = askId(s, n);
        t.update(b -> {
            b.gateAsks = n;
            b.pending = id;
        });
        t.command(new ExecutorCommand.CheckGate(id, s.releaseId(), s.request().target(), s.request().to(),
                gate.gate(), gate.webhook()));
    }

    /** A gate that said "not yet" is asked again later; the first refusal is recorded as a pause. */
    private void askAgainLater(Transition t, PlanStep.Gate gate, String answer) {
        ReleaseState s = t.state();
        Duration interval = gate.webhook().retryInterval() != null ? gate.webhook().retryInterval()
                : DEFAULT_GATE_RETRY;
        Instant at = t.now().plus(interval);
        t.update(b -> b.pending = null);
        if (s.gateAsks() == 1) {
            t.emit(seq -> new ReleaseEvent.Paused(s.releaseId(), seq, t.now(), s.request().target(), s.stepIndex(),
                    "gate " + gate.gate() + " says not yet (" + answer + "); asking every " + interval
                            + " until the progress deadline", at));
        }
        t.timer(new Timer(s.releaseId(), Timer.Kind.ASK_AGAIN, askId(s, s.gateAsks() + 1), at));
    }

    /** Holds after the current step; with {@code resumeAt}, a timer ends the pause at that time. */
    void pause(Transition t, String reason, Instant resumeAt) {
        ReleaseState s = t.state();
        t.update(b -> {
            b.phase = Phase.PAUSED;
            b.pending = null;
            b.resumeAt = resumeAt;
        });
        t.emit(seq -> new ReleaseEvent.Paused(s.releaseId(), seq, t.now(), s.request().target(), s.stepIndex(), reason,
                resumeAt));
        if (resumeAt != null) {
            t.timer(new Timer(s.releaseId(), Timer.Kind.RESUME, pauseRef(s.stepIndex(), resumeAt), resumeAt));
        }
    }

    void resume(Transition t, String by) {
        ReleaseState s = t.state();
        t.update(b -> {
            b.holdBy = null;
            b.resumeAt = null;
        });
        t.emit(seq -> new ReleaseEvent.Resumed(s.releaseId(), seq, t.now(), s.request().target(), s.stepIndex(), by));
        advance(t);
    }

    void promote(Transition t) {
        ReleaseState s = t.state();
        Plan plan = plan(s);
        t.emit(seq -> new ReleaseEvent.PromotionStarted(s.releaseId(), seq, t.now(), s.request().target(),
                s.request().to()));
        t.update(b -> b.holdBy = null);
        if (plan.promote() == null) {
            promoted(t, plan.promotedSummary());
            return;
        }
        String id = s.releaseId() + "/promote" + attempt(s);
        t.moveTo(Phase.PROMOTING, s.stepIndex(), id);
        t.command(plan.promote().apply(id));
        t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id, t.now().plus(plan.deadline())));
    }

    private void promoted(Transition t, String summary) {
        ReleaseState s = t.state();
        t.emit(seq -> new ReleaseEvent.Promoted(s.releaseId(), seq, t.now(), s.request().target(), s.request().to(),
                summary));
        t.finish(Phase.PROMOTED, summary);
    }

    void rollback(Transition t, String reason) {
        ReleaseState s = t.state();
        Plan plan = plan(s);
        t.emit(seq -> new ReleaseEvent.RollbackStarted(s.releaseId(), seq, t.now(), s.request().target(), reason));
        String id = s.releaseId() + "/rollback" + attempt(s);
        t.moveTo(Phase.ROLLING_BACK, s.stepIndex(), id);
        t.update(b -> {
            b.outcome = reason;
            b.holdBy = null;
        });
        t.command(plan.rollback().build(id, reason));
        t.timer(new Timer(s.releaseId(), Timer.Kind.DEADLINE, id, t.now().plus(plan.deadline())));
    }

    /**
     * Runs a rolled-back release again from its first step, once its target is free again: it goes
     * back through admission, since another release may have taken the target in the meantime.
     */
    void restart(Transition t) {
        t.update(b -> {
            b.phase = Phase.QUEUED;
            b.attempt = b.attempt + 1;
        });
        t.admit(t.state().request());
    }

    /** Starts the current attempt from its first step; command ids get an attempt suffix. */
    private void startAttempt(Transition t) {
        t.update(b -> {
            b.phase = Phase.APPLYING_STEP;
            b.stepIndex = -1;
            b.pending = null;
            b.outcome = null;
            b.holdBy = null;
            b.resumeAt = null;
            b.lastVerdict = null;
            b.gateAsks = 0;
            b.background = null;
        });
        advance(t);
    }

    /**
     * The planner could not process an input of a running release (a defect, or a request whose
     * values no validation foresaw). Such a release must not sit with the new version live and
     * nobody deciding: it is rolled back with the reason, or, when even the rollback cannot be
     * planned (or was what failed), it ends FAILED so that its target is freed and operators are told.
     */
    public Decision halt(ReleaseState state, String reason, Instant now) {
        if (state == null || state.phase().terminal()) {
            return Decision.ignored("nothing to halt: " + (state == null ? "unknown release" : state.phase()));
        }
        String why = "the planner cannot go on with this release: " + reason;
        if (state.request() != null && state.phase() != Phase.QUEUED && state.phase() != Phase.ROLLING_BACK) {
            try {
                Transition t = new Transition(state, now);
                rollback(t, why);
                return t.decision();
            } catch (RuntimeException e) {
                why = why + "; rollback could not be planned either (" + e.getClass().getSimpleName() + ")";
            }
        }
        Transition t = new Transition(state, now);
        String failure = why;
        t.emit(seq -> new ReleaseEvent.Failed(state.releaseId(), seq, now,
                state.request() == null ? null : state.request().target(), failure));
        t.finish(Phase.FAILED, failure);
        return t.decision();
    }

    /** A queued release withdrawn by an operator: nothing in the cluster was changed. */
    void withdraw(Transition t, String by) {
        fail(t, "withdrawn by " + by + " while queued; nothing was changed");
    }

    private void fail(Transition t, String reason) {
        ReleaseState s = t.state();
        t.emit(seq -> new ReleaseEvent.Failed(s.releaseId(), seq, t.now(), s.request().target(), reason));
        t.finish(Phase.FAILED, reason);
    }

    /**
     * Command ids must differ between runs of a retried release (the executor and analyzer treat an
     * id they have seen as a duplicate).
     */
    private static String attempt(ReleaseState s) {
        return s.attempt() == 0 ? "" : "/retry-" + s.attempt();
    }

    static String pauseRef(int stepIndex, Instant resumeAt) {
        return "step-" + stepIndex + "@" + (resumeAt == null ? "operator" : resumeAt.toEpochMilli());
    }

    /** The id of step {@code index} in the current attempt; commands and analyses of the step carry it. */
    static String stepId(ReleaseState s, int index) {
        return s.releaseId() + "/step-" + index + attempt(s);
    }

    private static String askId(ReleaseState s, int n) {
        return stepId(s, s.stepIndex()) + "/ask-" + n;
    }

    static Plan plan(ReleaseState s) {
        return Plans.of(s.request());
    }
}
