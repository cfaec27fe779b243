package io.serin.planner.messaging;

import io.serin.events.AnalysisVerdict;
import io.serin.events.ExecutorResult;
import io.serin.events.InvalidMessageException;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.VerdictMessage;
import io.serin.events.Violation;
import io.serin.planner.plan.Admissions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fields without which an input cannot even be matched to a release. A record lacking them is
 * dead-lettered with the fields named; it never reaches the planner, so junk on a topic can neither
 * stop the processor nor change a release.
 */
final class InputChecks {

    private InputChecks() {
    }

    static ExecutorResult result(ExecutorResult result) {
        List<Violation> v = new ArrayList<>();
        required(result.releaseId(), "releaseId", v);
        required(result.commandId(), "commandId", v);
        required(result.completedAt(), "completedAt", v);
        if (result instanceof ExecutorResult.Failed failed) {
            required(failed.reason(), "reason", v);
        }
        return valid(result, "executor result", v);
    }

    static AnalysisVerdict verdict(VerdictMessage message) {
        if (!(message instanceof AnalysisVerdict verdict)) {
            throw new InvalidMessageException("not a verdict: " + message.getClass().getSimpleName(), null);
        }
        List<Violation> v = new ArrayList<>();
        required(verdict.releaseId(), "releaseId", v);
        required(verdict.analysisId(), "analysisId", v);
        required(verdict.verdict(), "verdict", v);
        return valid(verdict, "verdict", v);
    }

    static ReleaseActionRequested action(ReleaseActionRequested action) {
        List<Violation> v = new ArrayList<>();
        required(action.releaseId(), "releaseId", v);
        required(action.action(), "action", v);
        return valid(action, "operator action", v);
    }

    static Admissions.Outcome outcome(Supplier<Admissions.Outcome> decode) {
        Admissions.Outcome outcome;
        try {
            outcome = decode.get();
        } catch (RuntimeException e) {
            throw new InvalidMessageException("unreadable admission outcome: " + e.getMessage(), e);
        }
        if (outcome == null || outcome.kind() == null || outcome.request() == null
                || outcome.request().releaseId() == null) {
            throw new InvalidMessageException("admission outcome without kind, request or release id", null);
        }
        return outcome;
    }

    private static void required(Object value, String field, List<Violation> v) {
        if (value == null || value instanceof String s && s.isBlank()) {
            v.add(new Violation(field, "is required"));
        }
    }

    private static <T> T valid(T message, String what, List<Violation> v) {
        if (!v.isEmpty()) {
            throw new InvalidMessageException("invalid " + what + ": " + v, null, null, List.copyOf(v), null);
        }
        return message;
    }
}
