package io.serin.executor.execute;

import io.serin.events.FailureReason;

import java.util.Optional;

/**
 * A canary size set apart from its weight: {@code replicas} pods, or {@code percent} of the
 * target's replicas (rounded up). Kept on the canary Deployment as an annotation
 * ({@code replicas=3}, {@code percent=50}) so that later weight steps keep to it.
 */
public record CanaryScale(Integer replicas, Integer percent) {

    /** The command's scale; empty when both are null, which means "size by weight again". */
    public static Optional<CanaryScale> of(Integer replicas, Integer percent) {
        if (replicas == null && percent == null) {
            return Optional.empty();
        }
        if (replicas != null && percent != null) {
            throw invalid("give replicas or percent, not both (replicas=" + replicas + ", percent=" + percent + ")");
        }
        if (replicas != null && replicas < 1) {
            throw invalid("canary replicas must be at least 1, not " + replicas
                    + " (a routed canary without pods would fail the requests routed to it)");
        }
        if (percent != null && (percent < 1 || percent > 100)) {
            throw invalid("canary percent must be 1-100, not " + percent);
        }
        return Optional.of(new CanaryScale(replicas, percent));
    }

    /** Reads the annotation back; a value Serin did not write is reported, not guessed at. */
    public static CanaryScale parse(String annotation) {
        String[] kv = annotation.split("=", 2);
        try {
            if (kv.length == 2 && kv[0].equals("replicas")) {
                return new CanaryScale(Integer.parseInt(kv[1].trim()), null);
            }
            if (kv.length == 2 && kv[0].equals("percent")) {
                return new CanaryScale(null, Integer.parseInt(kv[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("the canary's annotation " + Canaries.SCALE_ANNOTATION + "='" + annotation
                + "' is neither replicas=<n> nor percent=<n>");
    }

    public String annotation() {
        return replicas != null ? "replicas=" + replicas : "percent=" + percent;
    }

    /** Canary pods beside a target of {@code targetReplicas}. */
    public int replicasFor(int targetReplicas) {
        return replicas != null ? replicas : Math.max(1, (int) Math.ceil(targetReplicas * percent / 100.0));
    }

    @Override
    public String toString() {
        return replicas != null ? replicas + " pods" : percent + "% of the target's pods";
    }

    private static ExecutionFailure invalid(String message) {
        return new ExecutionFailure(FailureReason.INVALID, message);
    }
}
