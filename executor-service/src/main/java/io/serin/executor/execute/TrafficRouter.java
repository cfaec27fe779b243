package io.serin.executor.execute;

import io.serin.events.RouteMatch;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.util.Optional;

/**
 * Port for shifting traffic between the stable target and the canary. One implementation per
 * kind of router, chosen by the command's routing: {@link ReplicaRatioRouter} (pod counts) and
 * {@link RoutedRouter} (a mesh, gateway or ingress, through a {@link RouteReconciler}). Every
 * method is idempotent and returns only once the cluster reports the change.
 */
public interface TrafficRouter {

    /**
     * Sends about {@code weight} percent to the canary, and with {@code baseline} as much again to
     * a baseline of the current version, both taken from stable; returns what the cluster now reports.
     */
    TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight, boolean baseline);

    /**
     * Sizes the canary (and its baseline, if any) to {@code scale}, or by its weight again when
     * empty; traffic does not move.
     */
    TrafficState setScale(WorkloadRef target, String releaseId, VersionSpec to, Optional<CanaryScale> scale);

    /** Sends every request {@code match} selects to the canary, on top of the weighted split. */
    TrafficState setHeaderRoute(WorkloadRef target, String releaseId, VersionSpec to, RouteMatch match);

    /** Copies {@code percent} percent of live requests to the canary. */
    TrafficState setMirrorRoute(WorkloadRef target, String releaseId, VersionSpec to, int percent);

    /**
     * Sends all traffic back to the stable target, leaving canary and baseline pods running without
     * any (routers whose traffic is their pods, like replicaRatio, remove them).
     */
    void routeAllToStable(WorkloadRef target);

    /** Sends all traffic back to the stable target, then removes the canary and the baseline. */
    void reset(WorkloadRef target);
}
