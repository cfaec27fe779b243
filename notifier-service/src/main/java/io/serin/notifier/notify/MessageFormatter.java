package io.serin.notifier.notify;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.Violation;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns a release event into the one line an operator reads in chat. */
public final class MessageFormatter {

    /**
     * The summary of {@code event}. Java 17 has no pattern-matching switch, so this is the one place
     * that dispatches on the event type; a test proves every permitted subtype is handled.
     */
    public String format(ReleaseEvent event) {
        if (event instanceof ReleaseEvent.Accepted e) {
            return accepted(e.releaseId(), e.request());
        } else if (event instanceof ReleaseEvent.Rejected e) {
            return "release " + e.releaseId() + " rejected: " + violations(e.violations())
                    + (e.requestedBy() == null ? "" : " (requested by " + e.requestedBy() + ")");
        } else if (event instanceof ReleaseEvent.StepStarted e) {
            return on(e.target(), "step " + (e.stepIndex() + 1) + "/" + e.stepCount() + ": "
                    + (e.step() != null ? step(e.step()) : e.description()));
        } else if (event instanceof ReleaseEvent.StepCompleted e) {
            return on(e.target(), e.traffic() != null ? traffic(e.traffic())
                    : "step " + (e.stepIndex() + 1) + "/" + e.stepCount() + " done: " + e.summary());
        } else if (event instanceof ReleaseEvent.AnalysisCompleted e) {
            return on(e.target(), analysis(e.verdict()));
        } else if (event instanceof ReleaseEvent.PromotionStarted e) {
            return on(e.target(), "promoting to " + image(e.to()));
        } else if (event instanceof ReleaseEvent.Promoted e) {
            return on(e.target(), "promoted to " + image(e.to()));
        } else if (event instanceof ReleaseEvent.RollbackStarted e) {
            return on(e.target(), "rolling back: " + e.reason());
        } else if (event instanceof ReleaseEvent.RolledBack e) {
            return on(e.target(), "rolled back: " + e.reason());
        } else if (event instanceof ReleaseEvent.Failed e) {
            return on(e.target(), "release FAILED, an operator must look: " + e.reason());
        } else if (event instanceof ReleaseEvent.Paused e) {
            return on(e.target(), "paused at step " + (e.stepIndex() + 1) + ": " + e.reason()
                    + (e.resumeAt() == null ? ", waiting for an operator" : ", resumes at " + e.resumeAt()));
        } else if (event instanceof ReleaseEvent.Resumed e) {
            return on(e.target(), "resumed at step " + (e.stepIndex() + 1) + " by " + e.by());
        } else if (event instanceof ReleaseEvent.ActionApplied e) {
            return "release " + e.releaseId() + ": " + action(e.action()) + " applied" + by(e.requestedBy(), e.reason());
        } else if (event instanceof ReleaseEvent.ActionRejected e) {
            return "release " + e.releaseId() + ": " + action(e.action()) + " rejected: " + e.reason()
                    + (e.requestedBy() == null ? "" : " (requested by " + e.requestedBy() + ")");
        } else if (event instanceof ReleaseEvent.RequestRefused e) {
            return "release " + e.releaseId() + ": a second request under its id was refused: " + e.reason()
                    + (e.requestedBy() == null ? "" : " (requested by " + e.requestedBy() + ")");
        } else if (event instanceof ReleaseEvent.Queued e) {
            return on(e.request().target(), "release " + e.releaseId() + " queued behind " + e.behind()
                    + " (position " + e.position() + "); it starts when that one ends");
        }
        throw new IllegalArgumentException("no summary for " + event.getClass().getName());
    }

    private static String on(WorkloadRef target, String what) {
        return target + ": " + what;
    }

    private static String accepted(String releaseId, ReleaseRequested request) {
        String how = request.strategy() instanceof Strategy.Canary c && c.steps() != null
                ? "canary in " + c.steps().size() + " steps" : ReleaseContext.strategyName(request.strategy());
        return on(request.target(), "release " + releaseId + " accepted, " + how + " to " + image(request.to())
                + (request.requestedBy() == null ? "" : " (requested by " + request.requestedBy() + ")"));
    }

    private static String action(ReleaseAction action) {
        return action == null ? "an operator action" : action.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String by(String requestedBy, String reason) {
        return (requestedBy == null ? "" : " by " + requestedBy) + (reason == null ? "" : ": " + reason);
    }

    private static String step(CanaryStep step) {
        if (step instanceof CanaryStep.Pause p) {
            return p.duration() == null ? "pausing until an operator promotes" : "pausing for " + duration(p.duration());
        } else if (step instanceof CanaryStep.SetWeight s) {
            return "shifting " + s.weight() + "% of traffic to the canary";
        } else if (step instanceof CanaryStep.Analysis a) {
            return "analysing " + a.metrics().stream().map(MetricCheck::name).collect(Collectors.joining(", "))
                    + " for " + duration(a.duration());
        } else if (step instanceof CanaryStep.SetCanaryScale
                || step instanceof CanaryStep.SetHeaderRoute || step instanceof CanaryStep.SetMirrorRoute) {
            return MessageComposer.describeStep(step);
        }
        throw new IllegalArgumentException("no summary for step " + step.getClass().getName());
    }

    private static String traffic(TrafficState t) {
        return "canary at " + t.canaryWeight() + "% (" + t.canaryReadyReplicas() + " canary / "
                + t.stableReadyReplicas() + " stable pods ready)";
    }

    /** The metrics that decided the verdict, or all of them when none did on its own. */
    private static String analysis(AnalysisVerdict verdict) {
        List<MetricEvidence> deciding = verdict.metrics().stream().filter(m -> m.verdict() == verdict.verdict())
                .toList();
        List<MetricEvidence> shown = deciding.isEmpty() ? verdict.metrics() : deciding;
        String evidence = shown.isEmpty() ? verdict.reason()
                : shown.stream().map(MessageFormatter::evidence).collect(Collectors.joining("; "));
        return "analysis " + verdict.verdict() + ": " + evidence;
    }

    private static String evidence(MetricEvidence m) {
        long n = m.denominator() != null ? m.denominator().longValue() : m.samples();
        String count = " (n=" + n + ")";
        if (m.value() == null) {
            return m.name() + ": " + (m.reason() != null ? m.reason() : "no data") + count;
        }
        String value = m.name() + " " + number(m.value());
        if (m.compareValue() != null) {
            return value + " vs " + (m.compareTo() == null ? "stable" : m.compareTo().label()) + " "
                    + number(m.compareValue()) + count;
        }
        if (m.max() != null && m.value() > m.max()) {
            return value + " > max " + number(m.max()) + count;
        } else if (m.min() != null && m.value() < m.min()) {
            return value + " < min " + number(m.min()) + count;
        } else if (m.max() != null) {
            return value + " <= max " + number(m.max()) + count;
        } else if (m.min() != null) {
            return value + " >= min " + number(m.min()) + count;
        }
        return value + count;
    }

    private static String violations(List<Violation> violations) {
        return violations.isEmpty() ? "invalid request"
                : violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    private static String image(VersionSpec to) {
        return to == null ? "an unnamed version" : to.image();
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    /** PT5M reads as 5m, PT1M30S as 1m30s. */
    private static String duration(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
