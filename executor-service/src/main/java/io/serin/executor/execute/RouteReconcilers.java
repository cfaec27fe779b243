package io.serin.executor.execute;

import io.serin.events.TrafficRouting;
import io.serin.events.WorkloadRef;

/** Port that builds the {@link RouteReconciler} for a routing configuration and a target. */
public interface RouteReconcilers {

    /**
     * The reconciler for {@code routing} (never {@link TrafficRouting.ReplicaRatio}, which needs
     * no routes) acting on the routes of {@code target}'s namespace.
     */
    RouteReconciler forRouting(TrafficRouting routing, WorkloadRef target, String releaseId);
}
