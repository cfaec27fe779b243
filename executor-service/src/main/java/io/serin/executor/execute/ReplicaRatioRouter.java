package io.serin.executor.execute;

import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;

/**
 * Traffic by pod count behind one plain Service: canary pods carry the Service's selector labels,
 * so a share of ready pods is a share of requests. The stable target is never scaled, so a
 * rollback needs no pod to start. Granularity is one pod: with 3 stable pods the steps are 25%
 * (1 canary), 40% (2), 50% (3) …; a weight below one pod's share rounds up to one pod.
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

    @Override
    public TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight) {
        Workloads.Replicas stable = workloads.replicas(target);
        int canary = canaryReplicas(stable.desired(), weight);
        String name = Canaries.canaryName(target);
        workloads.ensureCanary(target, name, releaseId, to, canary);
        Workloads.Replicas ready = workloads.awaitRolledOut(target.namespace(), name, readyTimeout);
        int stableReady = workloads.replicas(target).ready();
        int total = ready.ready() + stableReady;
        int actual = total == 0 ? 0 : (int) Math.round(100.0 * ready.ready() / total);
        return new TrafficState(actual, ready.ready(), stableReady);
    }

    @Override
    public TrafficState setHeaderRoute(WorkloadRef target, String releaseId, VersionSpec to, RouteMatch match) {
        throw unsupported("route by header or cookie");
    }

    @Override
    public TrafficState setMirrorRoute(WorkloadRef target, String releaseId, VersionSpec to, int percent) {
        throw unsupported("mirror traffic");
    }

    private static ExecutionFailure unsupported(String what) {
        return new ExecutionFailure(FailureReason.INVALID, "replicaRatio routing cannot " + what
                + ": a plain Service spreads requests over pods; use istio, gatewayApi or nginx routing");
    }

    @Override
    public void reset(WorkloadRef target) {
        workloads.delete(target.namespace(), Canaries.canaryName(target));
    }
}
