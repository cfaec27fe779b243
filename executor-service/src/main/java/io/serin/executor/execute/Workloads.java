package io.serin.executor.execute;

import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;

/**
 * Port for workload mutations. Every method is idempotent: calling it again with the same
 * arguments leaves the cluster as it is and returns the same answer. Failures are
 * {@link ExecutionFailure}s carrying the API's reason.
 */
public interface Workloads {

    /** Replica counts of a Deployment as its status reports them. */
    record Replicas(int desired, int ready) {
    }

    /** The target's desired and ready replicas; NOT_FOUND if it does not exist. */
    Replicas replicas(WorkloadRef target);

    /**
     * Makes sure a Deployment {@code canaryName} exists next to {@code target}, built from the
     * target's pod template with {@code to}'s image, labelled with the release and variant, with
     * {@code replicas} replicas.
     */
    void ensureCanary(WorkloadRef target, String canaryName, String releaseId, VersionSpec to, int replicas);

    /** Sets the target's container image to {@code to} (no-op if it already runs it). */
    void updateImage(WorkloadRef target, VersionSpec to);

    /**
     * Blocks until the Deployment has rolled out completely (observed generation current, all
     * replicas updated, ready and available) or fails with NOT_READY and the cluster's reason.
     */
    Replicas awaitRolledOut(String namespace, String name, Duration timeout);

    /** The release the target's canary belongs to ({@code serin.io/release}), or empty if there is no canary. */
    java.util.Optional<String> canaryRelease(WorkloadRef target);

    /** Deletes a Deployment; deleting one that is already gone succeeds. */
    void delete(String namespace, String name);

    /**
     * Makes sure the target's pod template carries label {@code key=value}; returns whether it had
     * to be added (which rolls the target's pods, with their image unchanged).
     */
    boolean ensurePodLabel(WorkloadRef target, String key, String value);

    /** The desired replicas of Deployment {@code namespace/name}, 0 if it does not exist. */
    int currentReplicas(String namespace, String name);
}
