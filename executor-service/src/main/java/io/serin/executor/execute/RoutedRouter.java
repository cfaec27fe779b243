package io.serin.executor.execute;

import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.Optional;

/**
 * Traffic through routes (Istio, Gateway API, NGINX): the canary runs as its own Deployment and
 * gets exactly the share the routes give it, whatever its pod count. The target's pods are
 * labelled {@code serin.io/variant=stable} once, so stable, canary and baseline pods can be told
 * apart by subsets and Services. Order matters for a restart half-way: pods first and ready,
 * routes last; traffic back first, pods removed last.
 */
public final class RoutedRouter implements TrafficRouter {

    private final Workloads workloads;
    private final Services services;
    private final RouteReconcilers reconcilers;
    private final TrafficRouting routing;
    private final Duration readyTimeout;

    public RoutedRouter(Workloads workloads, Services services, RouteReconcilers reconcilers, TrafficRouting routing,
            Duration readyTimeout) {
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
    public TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight, boolean baseline) {
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        if (baseline) {
            checkBaseline(routes, weight);
        }
        int replicas = scaled(target, canaryReplicas(workloads.replicas(target).desired(), weight));
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes, baseline);
        routes.setWeight(weight, baseline);
        int actual = routes.verifiedWeight();
        if (actual != weight) {
            throw new ExecutionFailure(FailureReason.INTERNAL, routes.describe() + " reads back canary weight "
                    + actual + "% after setting " + weight + "%");
        }
        if (!baseline) {
            removeBaseline(target, releaseId, routes);
        }
        return state(target, actual, canary);
    }

    @Override
    public TrafficState setScale(WorkloadRef target, String releaseId, VersionSpec to, Optional<CanaryScale> scale) {
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int targetReplicas = workloads.replicas(target).desired();
        int weight = routes.verifiedWeight();
        int replicas = scale.map(s -> s.replicasFor(targetReplicas))
                .orElseGet(() -> canaryReplicas(targetReplicas, weight));
        boolean baseline = ownBaseline(target, releaseId);
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes, baseline);
        workloads.annotate(target.namespace(), Canaries.canaryName(target), Canaries.SCALE_ANNOTATION,
                scale.map(CanaryScale::annotation).orElse(null));
        return state(target, weight, canary);
    }

    @Override
    public TrafficState setHeaderRoute(WorkloadRef target, String releaseId, VersionSpec to, RouteMatch match) {
        checkMatch(match);
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int replicas = scaled(target,
                Math.max(1, workloads.currentReplicas(target.namespace(), Canaries.canaryName(target))));
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes,
                ownBaseline(target, releaseId));
        routes.setHeaderRoute(match);
        return state(target, routes.verifiedWeight(), canary);
    }

    @Override
    public TrafficState setMirrorRoute(WorkloadRef target, String releaseId, VersionSpec to, int percent) {
        if (percent < 1 || percent > 100) {
            throw new ExecutionFailure(FailureReason.INVALID, "mirror percent must be 1-100, not " + percent);
        }
        RouteReconciler routes = reconcilers.forRouting(routing, target, releaseId);
        int replicas = scaled(target, Math.max(canaryReplicas(workloads.replicas(target).desired(), percent),
                workloads.currentReplicas(target.namespace(), Canaries.canaryName(target))));
        Workloads.Replicas canary = prepare(target, releaseId, to, replicas, routes,
                ownBaseline(target, releaseId));
        routes.setMirrorRoute(percent);
        return state(target, routes.verifiedWeight(), canary);
    }

    @Override
    public void routeAllToStable(WorkloadRef target) {
        reconcilers.forRouting(routing, target, null).removeManagedRoutes();
    }

    @Override
    public void reset(WorkloadRef target) {
        RouteReconciler routes = reconcilers.forRouting(routing, target, null);
        routes.removeManagedRoutes();
        workloads.delete(target.namespace(), Canaries.canaryName(target));
        workloads.delete(target.namespace(), Canaries.baselineName(target));
        if (routes.routesByService()) {
            services.deleteCanaryService(target);
            services.deleteBaselineService(target);
        }
    }

    /**
     * Stable pods labelled and ready, the stable Service narrowed to them before any other pod
     * could join it, canary (and baseline) ready, their Services and subsets in place: then routes.
     */
    private Workloads.Replicas prepare(WorkloadRef target, String releaseId, VersionSpec to, int replicas,
            RouteReconciler routes, boolean baseline) {
        workloads.ensurePodLabel(target, Canaries.VARIANT_LABEL, Canaries.STABLE);
        // awaited even when the label was there: a restart may find the relabelling still rolling
        workloads.awaitRolledOut(target.namespace(), target.name(), readyTimeout);
        if (routes.routesByService()) {
            services.restrictToStable(target);
        }
        String name = Canaries.canaryName(target);
        workloads.ensureCanary(target, name, releaseId, to, replicas);
        if (baseline) {
            workloads.ensureBaseline(target, releaseId, replicas);
        }
        Workloads.Replicas canary = workloads.awaitRolledOut(target.namespace(), name, readyTimeout);
        if (baseline) {
            workloads.awaitRolledOut(target.namespace(), Canaries.baselineName(target), readyTimeout);
        }
        if (routes.routesByService()) {
            services.ensureCanaryService(target, releaseId);
            if (baseline) {
                services.ensureBaselineService(target, releaseId);
            }
        }
        routes.prepare(baseline);
        return canary;
    }

    /** Routes off the baseline first (setWeight did), then its pods and Service. */
    private void removeBaseline(WorkloadRef target, String releaseId, RouteReconciler routes) {
        if (ownBaseline(target, releaseId)) {
            workloads.delete(target.namespace(), Canaries.baselineName(target));
            if (routes.routesByService()) {
                services.deleteBaselineService(target);
            }
        }
    }

    private TrafficState state(WorkloadRef target, int weight, Workloads.Replicas canary) {
        return new TrafficState(weight, canary.ready(), workloads.replicas(target).ready());
    }

    private boolean ownBaseline(WorkloadRef target, String releaseId) {
        return workloads.releaseOf(target.namespace(), Canaries.baselineName(target)).filter(releaseId::equals)
                .isPresent();
    }

    /** The canary's size: as a SetCanaryScale fixed it, else {@code byWeight}. */
    private int scaled(WorkloadRef target, int byWeight) {
        Optional<CanaryScale> scale = workloads.annotation(target.namespace(), Canaries.canaryName(target),
                Canaries.SCALE_ANNOTATION).map(CanaryScale::parse);
        return scale.map(s -> s.replicasFor(workloads.replicas(target).desired())).orElse(byWeight);
    }

    private static void checkBaseline(RouteReconciler routes, int weight) {
        if (!routes.splitsThreeWays()) {
            throw new ExecutionFailure(FailureReason.INVALID, routes.describe() + " cannot run a baseline: "
                    + "NGINX canary annotations split traffic two ways only (stable and one canary Ingress), a "
                    + "baseline needs a third; use istio or gatewayApi routing, or no baseline");
        }
        if (2 * weight > 100) {
            throw new ExecutionFailure(FailureReason.INVALID, "with a baseline the canary can have at most 50%: "
                    + "canary and baseline get " + weight + "% each, taken from stable");
        }
    }

    private static void checkMatch(RouteMatch match) {
        if (match == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "a header route needs a match");
        }
        boolean header = match.header() != null && !match.header().isBlank();
        boolean cookie = match.cookie() != null && !match.cookie().isBlank();
        boolean path = match.pathPrefix() != null;
        if ((header ? 1 : 0) + (cookie ? 1 : 0) + (path ? 1 : 0) != 1) {
            throw new ExecutionFailure(FailureReason.INVALID, "a header route needs exactly one of match.header, "
                    + "match.cookie and match.pathPrefix, got " + match);
        }
        if (header && (match.value() == null || match.value().isEmpty())) {
            throw new ExecutionFailure(FailureReason.INVALID, "header route on '" + match.header() + "' has no value");
        }
        if (path) {
            PathRoutes.check(match.pathPrefix());
        }
    }
}
