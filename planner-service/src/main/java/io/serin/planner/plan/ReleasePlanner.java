package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.events.Violation;

import java.time.Instant;
import java.util.List;

/**
 * The release state machine. Pure: given the stored state and one input it returns a
 * {@link Decision}; it never touches Kafka. Promotion follows the last step; any failed step,
 * failed command or non-successful verdict rolls back.
 */
public final class ReleasePlanner {

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
        Transition t = new Transition(new ReleaseState(request.releaseId(), request, Phase.APPLYING_STEP, -1, null, 0,
                null, now, now, null), now);
        t.emit(seq -> new ReleaseEvent.Accepted(request.releaseId(), seq, now, request));
        advance(t);
        return t.decision();
    }

    /** A request whose payload could not even be read into a request; recorded as a rejection. */
    public Decision reject(String releaseId, String requestedBy, List<Violation> violations, Instant now) {
        Transition t = new Transition(new ReleaseState(releaseId, null, Phase.REJECTED, -1, null, 0, null, now, now,
                null), now);
        t.emit(seq -> new ReleaseEvent.Rejected(releaseId, seq, now, requestedBy, violations));
        t.finish(Phase.REJECTED, "rejected: " + violations);
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
        if (result instanceof ExecutorResult.Succeeded ok) {
            switch (state.phase()) {
                case APPLYING_STEP -> {
                    t.traffic(ok.traffic());
                    t.emit(seq -> new ReleaseEvent.StepCompleted(state.releaseId(), seq, now, target,
                            state.stepIndex(), steps(state).size(), ok.summary(), ok.traffic()));
                    advance(t);
                }
                case PROMOTING -> {
                    t.emit(seq -> new ReleaseEvent.Promoted(state.releaseId(), seq, now, target, state.request().to(),
                            ok.summary()));
                    t.finish(Phase.PROMOTED, ok.summary());
                }
                case ROLLING_BACK -> {
                    t.emit(seq -> new ReleaseEvent.RolledBack(state.releaseId(), seq, now, target, state.outcome()));
                    t.finish(Phase.ROLLED_BACK, state.outcome());
                }
                default -> throw new IllegalStateException("command pending in phase " + state.phase());
            }
        } else if (result instanceof ExecutorResult.Failed failed) {
            String why = failed.reason() + ": " + failed.message();
            switch (state.phase()) {
                case APPLYING_STEP -> rollback(t, "step " + (state.stepIndex() + 1) + " of " + steps(state).size()
                        + " could not be applied: " + why);
                case PROMOTING, ROLLING_BACK -> {
                    String reason = (state.phase() == Phase.PROMOTING ? "promotion" : "rollback") + " failed: " + why;
                    t.emit(seq -> new ReleaseEvent.Failed(state.releaseId(), seq, now, target, reason));
                    t.finish(Phase.FAILED, reason);
                }
                default -> throw new IllegalStateException("command pending in phase " + state.phase());
            }
        } else {
            throw new IllegalStateException("unhandled result " + result.getClass());
        }
        return t.decision();
    }

    /** An analysis verdict. Anything but SUCCESSFUL rolls back: no evidence is never a pass. */
    public Decision onVerdict(AnalysisVerdict verdict, ReleaseState state, Instant now) {
        if (state == null || state.phase() != Phase.ANALYZING || !verdict.analysisId().equals(state.pending())) {
            return Decision.ignored("verdict for " + verdict.analysisId() + " does not match the pending analysis of "
                    + (state == null ? "an unknown release" : state.releaseId() + " (" + state.phase() + ")"));
        }
        Transition t = new Transition(state, now);
        t.emit(seq -> new ReleaseEvent.AnalysisCompleted(state.releaseId(), seq, now, state.request().target(),
                state.stepIndex(), verdict));
        if (verdict.verdict() == Verdict.SUCCESSFUL) {
            advance(t);
        } else {
            rollback(t, "analysis " + verdict.verdict() + ": " + verdict.reason());
        }
        return t.decision();
    }

    private void advance(Transition t) {
        ReleaseState s = t.state();
        int next = s.stepIndex() + 1;
        List<CanaryStep> steps = steps(s);
        if (next >= steps.size()) {
            promote(t, next);
            return;
        }
        CanaryStep step = steps.get(next);
        t.emit(seq -> new ReleaseEvent.StepStarted(s.releaseId(), seq, t.now(), s.request().target(), next,
                steps.size(), step));
        String id = s.releaseId() + "/step-" + next;
        if (step instanceof CanaryStep.SetWeight setWeight) {
            t.moveTo(Phase.APPLYING_STEP, next, id);
            t.command(new ExecutorCommand.SetCanaryWeight(id, s.releaseId(), s.request().target(), s.request().to(),
                    setWeight.weight(), routing(s)));
        } else if (step instanceof CanaryStep.Analysis analysis) {
            t.moveTo(Phase.ANALYZING, next, id);
            t.analysis(new AnalysisCommand.Start(id, s.releaseId(), t.now(), analysis.duration(),
                    analysis.metrics().stream().map(ReleasePlanner::withDefaults).toList()));
        } else {
            throw new IllegalStateException("unhandled step " + step.getClass());
        }
    }

    private void promote(Transition t, int stepIndex) {
        ReleaseState s = t.state();
        t.emit(seq -> new ReleaseEvent.PromotionStarted(s.releaseId(), seq, t.now(), s.request().target(),
                s.request().to()));
        String id = s.releaseId() + "/promote";
        t.moveTo(Phase.PROMOTING, stepIndex, id);
        t.command(new ExecutorCommand.PromoteCanary(id, s.releaseId(), s.request().target(), s.request().to(),
                routing(s)));
    }

    private void rollback(Transition t, String reason) {
        ReleaseState s = t.state();
        t.emit(seq -> new ReleaseEvent.RollbackStarted(s.releaseId(), seq, t.now(), s.request().target(), reason));
        String id = s.releaseId() + "/rollback";
        t.rollingBack(id, reason);
        t.command(new ExecutorCommand.RollbackCanary(id, s.releaseId(), s.request().target(), routing(s), reason));
    }

    private static MetricCheck withDefaults(MetricCheck m) {
        return new MetricCheck(m.name(), m.variant() == null ? Variant.CANARY : m.variant(), m.measure(), m.judge(),
                m.minCount() == null ? 0L : m.minCount());
    }

    private static List<CanaryStep> steps(ReleaseState s) {
        return canary(s).steps();
    }

    private static TrafficRouting routing(ReleaseState s) {
        TrafficRouting routing = canary(s).trafficRouting();
        return routing == null ? new TrafficRouting.ReplicaRatio() : routing;
    }

    private static Strategy.Canary canary(ReleaseState s) {
        if (s.request().strategy() instanceof Strategy.Canary canary) {
            return canary;
        }
        throw new IllegalStateException("unhandled strategy " + s.request().strategy().getClass());
    }
}
