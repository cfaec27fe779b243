package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rolling and recreate updates of the target itself, and their undo. Before changing anything an
 * update records the target's pod template on the target ({@link Workloads#recordUpdate}), so
 * that an undo restores exactly what ran, and a retry or a restart half-way finds the record of
 * the first attempt rather than recording its own half-done change.
 */
final class Updates {

    private static final Pattern INT_OR_PERCENT = Pattern.compile("(\\d{1,6})%?");

    private final Workloads workloads;
    private final Duration readyTimeout;

    Updates(Workloads workloads, Duration readyTimeout) {
        this.workloads = workloads;
        this.readyTimeout = readyTimeout;
    }

    Outcome rolling(ExecutorCommand.RollingUpdate c) {
        checkSurge(c.target(), c.maxSurge(), c.maxUnavailable());
        WorkloadRef target = c.target();
        workloads.recordUpdate(target, c.releaseId());
        workloads.rollingUpdate(target, c.to(), c.maxSurge(), c.maxUnavailable());
        Workloads.Replicas rolled = workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
        return new Outcome(target + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready) after a rolling update; the previous template is kept for an undo", null);
    }

    /** Down to zero and no pod left before a single new one starts: two versions never serve at once. */
    Outcome recreate(ExecutorCommand.RecreateUpdate c) {
        WorkloadRef target = c.target();
        Workloads.UpdateRecord record = workloads.recordUpdate(target, c.releaseId());
        if (!workloads.runs(target, c.to())) {
            scaleDown(target);
            workloads.updateImage(target, c.to());
        }
        workloads.scale(target, record.replicas());
        Workloads.Replicas rolled = workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
        return new Outcome(target + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready) after all old pods stopped; the previous template is kept for an undo", null);
    }

    Outcome undo(ExecutorCommand.UndoUpdate c) {
        WorkloadRef target = c.target();
        Workloads.UpdateRecord record = workloads.updateRecord(target).orElse(null);
        if (record == null || !record.releaseId().equals(c.releaseId())) {
            // also the answer to a replay after a finished undo, which dropped the record
            return new Outcome("nothing to undo: " + target + " carries no update of release " + c.releaseId()
                    + (record == null ? "" : " (the record there is of release '" + record.releaseId() + "')"), null);
        }
        boolean recreate = Boolean.TRUE.equals(c.recreate());
        if (recreate && !record.unchanged()) {
            scaleDown(target);
        }
        workloads.restoreUpdate(target);
        if (recreate) {
            workloads.scale(target, record.replicas());
        }
        Workloads.Replicas rolled = workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
        workloads.forgetUpdate(target);
        return new Outcome(target + " runs its previous template again (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready" + (recreate ? ", recreated" : "") + ")"
                + (c.reason() == null ? "" : ": " + c.reason()), null);
    }

    private void scaleDown(WorkloadRef target) {
        workloads.scale(target, 0);
        workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
    }

    /** What the API server would refuse with 422, refused before anything changed. */
    private static void checkSurge(WorkloadRef target, String maxSurge, String maxUnavailable) {
        int surge = amount(target, "maxSurge", maxSurge);
        int unavailable = amount(target, "maxUnavailable", maxUnavailable);
        if (surge == 0 && unavailable == 0) {
            throw new ExecutionFailure(FailureReason.INVALID, "rolling update of " + target + ": maxSurge and "
                    + "maxUnavailable cannot both be 0, or no pod could ever be replaced");
        }
    }

    /** The number or percentage; -1 when not given. */
    private static int amount(WorkloadRef target, String field, String value) {
        if (value == null) {
            return -1;
        }
        Matcher m = INT_OR_PERCENT.matcher(value);
        if (!m.matches() || value.endsWith("%") && Integer.parseInt(m.group(1)) > 100) {
            throw new ExecutionFailure(FailureReason.INVALID, "rolling update of " + target + ": " + field
                    + " must be a number of pods or a percentage up to 100%, not '" + value + "'");
        }
        return Integer.parseInt(m.group(1));
    }
}
