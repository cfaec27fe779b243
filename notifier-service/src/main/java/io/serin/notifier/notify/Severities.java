package io.serin.notifier.notify;

import io.serin.events.CanaryStep;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseEvent;
import io.serin.events.Severity;
import io.serin.events.Verdict;

/**
 * How much each release event needs a human: info for every step, warn for pauses and inconclusive
 * analyses, error for failures and rollbacks. The one place that dispatches on event and step type
 * for routing; a test walks the permitted subclasses so a new type fails here first.
 */
public final class Severities {

    private Severities() {
    }

    public static Severity of(ReleaseEvent event) {
        if (event instanceof ReleaseEvent.AnalysisCompleted e) {
            return of(e.verdict().verdict());
        } else if (event instanceof ReleaseEvent.StepStarted e) {
            // the steps other strategies run (preview, switch, gates) are routine, like canary steps
            return e.step() == null ? Severity.INFO : of(e.step());
        } else if (event instanceof ReleaseEvent.Paused || event instanceof ReleaseEvent.ActionRejected
                || event instanceof ReleaseEvent.RequestRefused) {
            // a held release, an operator whose action did not apply, or a pipeline that reused a release
            // id, waits for someone to look
            return Severity.WARN;
        } else if (event instanceof ReleaseEvent.ActionApplied a) {
            return a.action() == ReleaseAction.ABORT ? Severity.WARN : Severity.INFO;
        } else if (event instanceof ReleaseEvent.Rejected
                || event instanceof ReleaseEvent.RollbackStarted
                || event instanceof ReleaseEvent.RolledBack
                || event instanceof ReleaseEvent.Failed) {
            // a rejected request changed nothing, but whoever asked must learn that it will not happen
            return Severity.ERROR;
        } else if (event instanceof ReleaseEvent.Accepted
                || event instanceof ReleaseEvent.StepCompleted
                || event instanceof ReleaseEvent.PromotionStarted
                || event instanceof ReleaseEvent.Promoted
                || event instanceof ReleaseEvent.Resumed
                || event instanceof ReleaseEvent.Queued) {
            return Severity.INFO;
        }
        throw new IllegalArgumentException("no severity for " + event.getClass().getName());
    }

    public static Severity of(Verdict verdict) {
        return switch (verdict) {
            case SUCCESSFUL -> Severity.INFO;
            case INCONCLUSIVE -> Severity.WARN;
            case FAILED, ERROR -> Severity.ERROR;
        };
    }

    /** A pause holds the release (and may wait for a human): warn. Other steps are routine. */
    static Severity of(CanaryStep step) {
        if (step instanceof CanaryStep.Pause) {
            return Severity.WARN;
        } else if (step instanceof CanaryStep.SetWeight || step instanceof CanaryStep.Analysis
                || step instanceof CanaryStep.SetCanaryScale || step instanceof CanaryStep.SetHeaderRoute
                || step instanceof CanaryStep.SetMirrorRoute) {
            return Severity.INFO;
        }
        throw new IllegalArgumentException("no severity for step " + step.getClass().getName());
    }

    public static boolean atLeast(Severity severity, Severity floor) {
        return severity.compareTo(floor == null ? Severity.INFO : floor) >= 0;
    }
}
