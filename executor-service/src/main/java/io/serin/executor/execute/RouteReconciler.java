package io.serin.executor.execute;

import io.serin.events.RouteMatch;

/**
 * Port for the routes of one mesh, gateway or ingress, shaped after Argo Rollouts'
 * TrafficRoutingReconciler: each method edits only the routes Serin manages, leaves every other
 * route and field of the same object as it was, is idempotent, and fails with an
 * {@link ExecutionFailure} carrying the API's reason. Weights always sum to 100.
 */
public interface RouteReconciler {

    /** A short name for logs and results ("Istio VirtualService payments/payment-gateway"). */
    String describe();

    /** Whether stable and canary are reached through Services of their own (not mesh subsets). */
    boolean routesByService();

    /** Whether it can split traffic three ways: stable, canary and a baseline. */
    boolean splitsThreeWays();

    /**
     * Makes sure the objects the routes need beside the user's exist (subsets, canary Ingress …),
     * with {@code baseline} those of the baseline too.
     */
    void prepare(boolean baseline);

    /**
     * Gives the canary {@code weight} percent in every managed route, with {@code baseline} the
     * baseline as much again, and stable the rest; without, any baseline route is removed.
     */
    void setWeight(int weight, boolean baseline);

    /**
     * Sends the requests {@code match} selects to the canary: a header or cookie route replaces
     * the previous one; a path prefix route is added beside those of other prefixes.
     */
    void setHeaderRoute(RouteMatch match);

    /** Mirrors {@code percent} percent of the managed routes' requests to the canary. */
    void setMirrorRoute(int percent);

    /** Removes everything Serin added: all traffic on stable, no header or path route, no mirror, no baseline. */
    void removeManagedRoutes();

    /** The canary's weight as the routes now read back from the API server. */
    int verifiedWeight();
}
