package io.serin.planner.plan;

import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;

import java.util.Optional;

/**
 * Which operator action applies in which phase, and what it does. One table, used both by the
 * planner when the action arrives and by the REST API to answer 409 before publishing it.
 */
final class Actions {

    private static final String SERVING = "both versions are served until the old one is retired: use action retire";

    private final ReleasePlanner planner;

    Actions(ReleasePlanner planner) {
        this.planner = planner;
    }

    static Optional<String> whyNot(ReleaseAction action, ReleaseState s) {
        if (s == null) {
            return Optional.of("no such release");
        }
        Phase p = s.phase();
        String where = "the release is " + p.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        boolean active = p == Phase.APPLYING_STEP || p == Phase.ANALYZING || p == Phase.PAUSED;
        if (p == Phase.QUEUED) {
            return action == ReleaseAction.ABORT ? Optional.empty()
                    : Optional.of("the release is queued until the release active on its target ends; "
                            + "only abort applies");
        }
        return switch (action) {
            case PAUSE -> p == Phase.PAUSED ? Optional.of("the release is already paused")
                    : s.holdBy() != null ? Optional.of("a pause was already asked for by " + s.holdBy())
                    : active ? Optional.empty() : Optional.of(where);
            case RESUME -> p == Phase.PAUSED || (active && s.holdBy() != null) ? Optional.empty()
                    : Optional.of(where + ", not paused");
            case PROMOTE -> p == Phase.SERVING ? Optional.of(SERVING)
                    : p == Phase.PAUSED || p == Phase.ANALYZING ? Optional.empty()
                    : p == Phase.APPLYING_STEP ? Optional.of("step " + (s.stepIndex() + 1)
                            + " is being applied; promote once it completes")
                    : Optional.of(where);
            case PROMOTE_FULL -> p == Phase.SERVING ? Optional.of(SERVING)
                    : active ? Optional.empty() : Optional.of(where);
            case ABORT -> active || p == Phase.SERVING ? Optional.empty() : Optional.of(where);
            case RETIRE -> p == Phase.SERVING ? Optional.empty()
                    : Optional.of(where + "; only an API-versions release serving both versions can retire the old one");
            case RETRY -> p == Phase.ROLLED_BACK ? Optional.empty()
                    : Optional.of(where + "; only a rolled-back release can be retried");
        };
    }

    /** Applies an action {@link #whyNot} allowed. */
    void apply(ReleaseActionRequested action, Transition t) {
        ReleaseState s = t.state();
        String by = action.requestedBy() == null ? "an operator" : action.requestedBy();
        switch (action.action()) {
            case PAUSE -> t.update(b -> b.holdBy = by);
            case RESUME -> {
                if (s.phase() == Phase.PAUSED) {
                    planner.resume(t, by);
                } else {
                    t.update(b -> b.holdBy = null);
                }
            }
            case PROMOTE -> {
                if (s.phase() == Phase.ANALYZING) {
                    // the running analysis is abandoned; its verdict will no longer match
                    t.update(b -> b.pending = null);
                    planner.advance(t);
                } else {
                    planner.resume(t, by);
                }
            }
            case PROMOTE_FULL -> planner.promote(t);
            case ABORT -> {
                if (s.phase() == Phase.QUEUED) {
                    planner.withdraw(t, by);
                } else {
                    planner.rollback(t, "aborted by " + by
                            + (action.reason() == null || action.reason().isBlank() ? "" : ": " + action.reason()));
                }
            }
            case RETRY -> planner.restart(t);
            case RETIRE -> planner.resume(t, by + " (retire)");
            default -> throw new IllegalStateException("unhandled action " + action.action());
        }
    }
}
