package io.serin.planner.plan;

import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;

/** Facts about a request's strategy that views need, dispatched in one place. */
public final class Steps {

    private Steps() {
    }

    public static int count(ReleaseRequested request) {
        if (request.strategy() instanceof Strategy.Canary canary) {
            return canary.steps() == null ? 0 : canary.steps().size();
        }
        throw new IllegalStateException("unhandled strategy " + request.strategy().getClass());
    }

    public static String strategyName(ReleaseRequested request) {
        if (request.strategy() instanceof Strategy.Canary) {
            return "canary";
        }
        throw new IllegalStateException("unhandled strategy " + request.strategy().getClass());
    }
}
