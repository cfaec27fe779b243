package io.serin.events;

/**
 * Traffic as the cluster reports it after a command: the canary's actual share, which may differ
 * from the requested weight where the router is coarse (replica ratio).
 */
public record TrafficState(int canaryWeight, int canaryReadyReplicas, int stableReadyReplicas) {
}
