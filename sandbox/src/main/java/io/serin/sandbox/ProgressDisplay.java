package io.serin.sandbox;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseEvent;
import io.serin.events.Strategy;
import io.serin.events.TrafficState;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One release's event log as terminal lines: a progress bar over the plan's steps, the sequence
 * number, and what happened. Every event type is rendered here, in one place.
 */
final class ProgressDisplay {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private int steps;
    private int done;

    String render(ReleaseEvent e) {
        String bar;
        String text;
        if (e instanceof ReleaseEvent.Accepted a) {
            bar = bar();
            text = "accepted: " + a.request().target() + " → " + a.request().to().image() + " ("
                    + strategy(a.request().strategy()) + ")";
        } else if (e instanceof ReleaseEvent.Queued q) {
            bar = "[  queued  ]";
            text = "QUEUED behind " + q.behind() + " (number " + q.position() + " in line for "
                    + q.request().target() + ")";
        } else if (e instanceof ReleaseEvent.StepStarted s) {
            steps = s.stepCount();
            done = s.stepIndex();
            bar = bar();
            text = "step " + (s.stepIndex() + 1) + "/" + s.stepCount() + ": "
                    + (s.description() != null ? s.description() : describe(s.step()));
        } else if (e instanceof ReleaseEvent.StepCompleted s) {
            steps = s.stepCount();
            done = s.stepIndex() + 1;
            bar = bar();
            text = "step " + (s.stepIndex() + 1) + " done: " + s.summary() + traffic(s.traffic());
        } else if (e instanceof ReleaseEvent.AnalysisCompleted a) {
            done = a.stepIndex() + 1;
            bar = bar();
            text = analysis(a.verdict());
        } else if (e instanceof ReleaseEvent.Paused p) {
            bar = bar();
            text = (p.resumeAt() == null ? "HOLDING: " + p.reason() + " (waits for an operator)"
                    : "waiting until " + CLOCK.format(p.resumeAt()) + ": " + p.reason());
        } else if (e instanceof ReleaseEvent.Resumed r) {
            done = r.stepIndex() + 1;
            bar = bar();
            text = "resumed by " + r.by();
        } else if (e instanceof ReleaseEvent.ActionApplied a) {
            bar = bar();
            text = "operator action " + a.action() + " by " + a.requestedBy() + reason(a.reason());
        } else if (e instanceof ReleaseEvent.ActionRejected a) {
            bar = bar();
            text = "operator action " + a.action() + " by " + a.requestedBy() + " refused" + reason(a.reason());
        } else if (e instanceof ReleaseEvent.RequestRefused r) {
            bar = bar();
            text = "another request under this id, by " + r.requestedBy() + ", refused" + reason(r.reason());
        } else if (e instanceof ReleaseEvent.PromotionStarted p) {
            done = steps;
            bar = bar();
            text = "promoting " + p.target() + " to " + p.to().image();
        } else if (e instanceof ReleaseEvent.Promoted p) {
            bar = "[##########]";
            text = "PROMOTED: " + p.summary();
        } else if (e instanceof ReleaseEvent.RollbackStarted r) {
            bar = "[ rollback ]";
            text = "rolling back: " + r.reason();
        } else if (e instanceof ReleaseEvent.RolledBack r) {
            bar = "[ rollback ]";
            text = "ROLLED BACK: " + r.reason();
        } else if (e instanceof ReleaseEvent.Failed f) {
            bar = "[  failed  ]";
            text = "FAILED: " + f.reason();
        } else if (e instanceof ReleaseEvent.Rejected r) {
            bar = "[ rejected ]";
            text = "REJECTED: " + r.violations();
        } else {
            throw new IllegalStateException("unhandled event " + e.getClass());
        }
        return String.format("%s #%-2d %s", bar, e.sequence(), text);
    }

    static String strategy(Strategy s) {
        if (s instanceof Strategy.Canary) {
            return "canary";
        }
        if (s instanceof Strategy.BlueGreen) {
            return "blue-green";
        }
        if (s instanceof Strategy.AbTest) {
            return "A/B test";
        }
        if (s instanceof Strategy.Shadow) {
            return "shadow";
        }
        if (s instanceof Strategy.ApiVersions) {
            return "API versions side by side";
        }
        if (s instanceof Strategy.Rolling) {
            return "rolling update";
        }
        if (s instanceof Strategy.Recreate) {
            return "recreate";
        }
        throw new IllegalStateException("unhandled strategy " + s.getClass());
    }

    /** For a step whose event predates descriptions. */
    private static String describe(CanaryStep step) {
        if (step instanceof CanaryStep.SetWeight w) {
            return "set canary weight to " + w.weight() + "%";
        }
        if (step instanceof CanaryStep.Analysis a) {
            return "analyse " + a.metrics().size() + " metric(s), for at most " + a.duration().toSeconds() + "s";
        }
        return String.valueOf(step);
    }

    private static String analysis(AnalysisVerdict v) {
        StringBuilder sb = new StringBuilder("analysis " + v.verdict());
        for (MetricEvidence m : v.metrics()) {
            sb.append(String.format(Locale.ROOT, "%n             %s: %s", m.name(), m.reason()));
        }
        return sb.toString();
    }

    private static String traffic(TrafficState t) {
        return t == null ? "" : " [cluster: " + t.canaryWeight() + "% to the new version; " + t.canaryReadyReplicas()
                + " new, " + t.stableReadyReplicas() + " old pods ready]";
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    private String bar() {
        int width = 10;
        int total = steps + 1;
        int filled = steps == 0 ? 0 : Math.min(width, Math.round((float) done * width / total));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
