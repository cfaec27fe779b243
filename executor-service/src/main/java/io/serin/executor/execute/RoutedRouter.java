package io.serin.executor.execute;

import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;

/**
 * Traffic through routes (Istio, Gateway API, NGINX): the canary runs as its own Deployment and
 * gets exactly the share the routes give it, whatever its pod count. The target's pods are
 * labelled {@code serin.io/variant=stable} once, so stable and canary pods can be told apart by
 * subsets and Services. Order matters for a restart half-way: pods first and ready, routes last;
 * traffic back first, pods removed last.
 */
public final class RoutedRouter implements TrafficRouter {

    private final Workloads workloads;
    private final Services services;
    private final RouteReconcilers reconcilers;
    private final io.serin.events.TrafficRouting routing;
    private final Duration readyTimeout;

    public RoutedRouter(Workloads workloads, Services services, RouteReconcilers reconcilers,
            io.serin.events.TrafficRouting routing, Duration readyTimeout) {
        this.workloads = workloads;
        this.services = services;
        this.reconcilers = reconcilers;
        this.routing = routing;
        this.readyTimeout = readyTimeout;
    }

    /** Canary pods for {@code weight}% of the load of {@code stable} pods: rounded up, at least one. */
    static int canaryReplicas(int stable, int weight) {
        return Math.max(1, (int) Math.ceil(stable * weight / 100.0));
    }

    @Override
    public TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight) {
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int replicas = canaryReplicas(workloads.replicas(target).desired(), weight);
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes);
        routes.setWeight(weight);
        int actual = routes.verifiedWeight();
        if (actual != weight) {
            throw new ExecutionFailure(FailureReason.INTERNAL, routes.describe() + " reads back canary weight "
                    + actual + "% after setting " + weight + "%");
        }
        return state(target, actual, canary);
    }

    @Override
    public TrafficState setHeaderRoute(WorkloadRef target, String releaseId, VersionSpec to, RouteMatch match) {
        checkMatch(match);
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int replicas = Math.max(1, workloads.currentReplicas(target.namespace(), Canaries.canaryName(target)));
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes);
        routes.setHeaderRoute(match);
        return state(target, routes.verifiedWeight(), canary);
    }

    @Override
    public TrafficState setMirrorRoute(WorkloadRef target, String releaseId, VersionSpec to, int percent) {
        if (percent < 1 || percent > 100) {
            throw new ExecutionFailure(FailureReason.INVALID, "mirror percent must be 1-100, not " + percent);
        }
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int replicas = Math.max(canaryReplicas(workloads.replicas(target).desired(), percent),
                workloads.currentReplicas(target.namespace(), Canaries.canaryName(target)));
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes);
        routes.setMirrorRoute(percent);
        return state(target, routes.verifiedWeight(), canary);
    }

    @Override
    public void reset(WorkloadRef target) {
        RouteReconciler routes = reconcilers.forRouting(routing, target, null);
        routes.removeManagedRoutes();
        workloads.delete(target.namespace(), Canaries.canaryName(target));
        if (routes.routesByService()) {
            services.deleteCanaryService(target);
        }
    }

    /** Stable pods labelled and ready, canary ready, its Service and subsets in place: then routes. */
    private Workloads.Replicas prepare(WorkloadRef target, String releaseId, VersionSpec to, int replicas,
            RouteReconciler routes) {
        workloads.ensurePodLabel(target, Canaries.VARIANT_LABEL, Canaries.STABLE);
        // awaited even when the label was there: a restart may find the relabelling still rolling
        workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
        String name = Canaries.canaryName(target);
        workloads.ensureCanary(target, name, releaseId, to, replicas);
        Workloads.Replicas canary = workloads.awaitRolledOut(target.namespace(), name, readyTimeout);
        if (routes.routesByService()) {
            services.ensureCanaryService(target, releaseId);
            services.restrictToStable(target);
        }
        routes.prepare();
        return canary;
    }

    private TrafficState state(WorkloadRef target, int weight, Workloads.Replicas canary) {
        return new TrafficState(weight, canary.ready(), workloads.replicas(target).ready());
    }

    private static void checkMatch(RouteMatch match) {
        boolean header = match != null && match.header() != null && !match.header().isBlank();
        boolean cookie = match != null && match.cookie() != null && !match.cookie().isBlank();
        if (header == cookie) {
            throw new ExecutionFailure(FailureReason.INVALID, "a header route needs exactly one of match.header and "
                    + "match.cookie, got " + match);
        }
        if (header && (match.value() == null || match.value().isEmpty())) {
            throw new ExecutionFailure(FailureReason.INVALID, "header route on '" + match.header() + "' has no value");
        }
    }
}
