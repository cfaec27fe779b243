package io.serin.executor.execute;

import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.Optional;

/**
 * Traffic by pod count behind one plain Service: canary pods carry the Service's selector labels,
 * so a share of ready pods is a share of requests. The stable target is never scaled, so a
 * rollback needs no pod to start. Granularity is one pod: with 3 stable pods the steps are 25%
 * (1 canary), 40% (2), 50% (3) …; a weight below one pod's share rounds up to one pod. A baseline
 * gets as many pods as the canary, so each has about the weight asked for.
 */
public final class ReplicaRatioRouter implements TrafficRouter {

    private final Workloads workloads;
    private final Duration readyTimeout;

    public ReplicaRatioRouter(Workloads workloads, Duration readyTimeout) {
        this.workloads = workloads;
        this.readyTimeout = readyTimeout;
    }

    /** Canary pods for {@code weight}% beside {@code stable} pods: the nearest count, at least one. */
    static int canaryReplicas(int stable, int weight) {
        return Math.max(1, (int) Math.round(stable * weight / (100.0 - weight)));
    }

    /** Canary pods, and as many baseline pods, for {@code weight}% each beside {@code stable} pods. */
    static int canaryReplicasWithBaseline(int stable, int weight) {
        return Math.max(1, (int) Math.round(stable * weight / (100.0 - 2 * weight)));
    }

    @Override
    public TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight, boolean baseline) {
        if (baseline && 2 * weight >= 100) {
            throw new ExecutionFailure(FailureReason.INVALID, "replicaRatio routing with a baseline can give the "
                    + "canary less than 50% only: canary and baseline get " + weight + "% each and stable keeps "
                    + "its pods; asked for " + weight + "%");
        }
        Workloads.Replicas stable = workloads.replicas(target);
        int canary = baseline ? canaryReplicasWithBaseline(stable.desired(), weight)
                : canaryReplicas(stable.desired(), weight);
        String name = Canaries.canaryName(target);
        String baselineName = Canaries.baselineName(target);
        workloads.ensureCanary(target, name, releaseId, to, canary);
        int baselineReady = 0;
        if (baseline) {
            workloads.ensureBaseline(target, releaseId, canary);
        } else if (workloads.releaseOf(target.namespace(), baselineName).filter(releaseId::equals).isPresent()) {
            workloads.delete(target.namespace(), baselineName);
        }
        Workloads.Replicas ready = workloads.awaitRolledOut(target.namespace(), name, readyTimeout);
        if (baseline) {
            baselineReady = workloads.awaitRolledOut(target.namespace(), baselineName, readyTimeout).ready();
        }
        int stableReady = workloads.replicas(target).ready();
        int total = ready.ready() + baselineReady + stableReady;
        int actual = total == 0 ? 0 : (int) Math.round(100.0 * ready.ready() / total);
        return new TrafficState(actual, ready.ready(), stableReady);
    }

    @Override
    public TrafficState setScale(WorkloadRef target, String releaseId, VersionSpec to, Optional<CanaryScale> scale) {
        throw unsupported("size the canary apart from its weight: its pods are its share of traffic");
    }

    @Override
    public TrafficState setHeaderRoute(WorkloadRef target, String releaseId, VersionSpec to, RouteMatch match) {
        throw unsupported(match != null && match.pathPrefix() != null ? "route by path"
                : "route by header or cookie");
    }

    @Override
    public TrafficState setMirrorRoute(WorkloadRef target, String releaseId, VersionSpec to, int percent) {
        throw unsupported("mirror traffic");
    }

    private static ExecutionFailure unsupported(String what) {
        return new ExecutionFailure(FailureReason.INVALID, "replicaRatio routing cannot " + what
                + "; a plain Service spreads requests over pods: use istio, gatewayApi or nginx routing");
    }

    /** Its pods are its traffic: nothing is left running. */
    @Override
    public void routeAllToStable(WorkloadRef target) {
        reset(target);
    }

    @Override
    public void reset(WorkloadRef target) {
        workloads.delete(target.namespace(), Canaries.canaryName(target));
        workloads.delete(target.namespace(), Canaries.baselineName(target));
    }
}
