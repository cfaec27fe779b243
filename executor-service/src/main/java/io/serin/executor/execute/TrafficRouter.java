package io.serin.executor.execute;

import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

/**
 * Port for shifting traffic between the stable target and the canary. One implementation per
 * router (replica ratio, Istio, Gateway API, NGINX …), chosen by the command's routing.
 */
public interface TrafficRouter {

    /** Sends about {@code weight} percent to the canary; returns what the cluster now reports. */
    TrafficState setWeight(WorkloadRef target, String releaseId, VersionSpec to, int weight);

    /** Sends all traffic back to the stable target. */
    void reset(WorkloadRef target);
}
