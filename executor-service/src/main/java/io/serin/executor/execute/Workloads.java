package io.serin.executor.execute;

import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Port for workload mutations. Every method is idempotent: calling it again with the same
 * arguments leaves the cluster as it is and returns the same answer. Failures are
 * {@link ExecutionFailure}s carrying the API's reason.
 */
public interface Workloads {

    /** Replica counts of a Deployment as its status reports them. */
    record Replicas(int desired, int ready) {
    }

    /**
     * What a rolling or recreate update recorded on its target before changing it.
     *
     * @param releaseId the release that recorded it
     * @param replicas  the target's replicas before the update
     * @param unchanged whether the target's pod template is (still, or again) the recorded one
     */
    record UpdateRecord(String releaseId, int replicas, boolean unchanged) {
    }

    /** The target's desired and ready replicas; NOT_FOUND if it does not exist. */
    Replicas replicas(WorkloadRef target);

    /**
     * Makes sure a Deployment {@code canaryName} exists next to {@code target}, built from the
     * target's pod template with {@code to}'s image, labelled with the release and variant, with
     * {@code replicas} replicas; INVALID if it belongs to another release. Using it cancels a
     * pending removal after a rollback ({@link Canaries#REMOVE_AFTER_ANNOTATION}).
     */
    void ensureCanary(WorkloadRef target, String canaryName, String releaseId, VersionSpec to, int replicas);

    /**
     * Makes sure Deployment {@link Canaries#baselineName} exists with {@code replicas} replicas,
     * built from the target's current pod template and labelled {@code serin.io/variant=baseline}
     * and with the release; INVALID if it belongs to another release.
     */
    void ensureBaseline(WorkloadRef target, String releaseId, int replicas);

    /** Sets the target's container image to {@code to} (no-op if it already runs it). */
    void updateImage(WorkloadRef target, VersionSpec to);

    /** Whether the target's container named by {@code to} already has {@code to}'s image. */
    boolean runs(WorkloadRef target, VersionSpec to);

    /**
     * Sets the target's image to {@code to} and, where given, its rolling update's
     * {@code maxSurge} and {@code maxUnavailable} (an int or a percentage), in one change.
     */
    void rollingUpdate(WorkloadRef target, VersionSpec to, String maxSurge, String maxUnavailable);

    /** Sets the target's desired replicas (no-op if it has them). */
    void scale(WorkloadRef target, int replicas);

    /**
     * Blocks until the Deployment has rolled out completely (observed generation current, all
     * replicas updated, ready and available, none terminating) or fails with NOT_READY and the
     * cluster's reason. A Deployment scaled to zero is rolled out once its last pod is gone.
     */
    Replicas awaitRolledOut(String namespace, String name, Duration timeout);

    /** The release the target's canary belongs to ({@code serin.io/release}), or empty if there is no canary. */
    default Optional<String> canaryRelease(WorkloadRef target) {
        return releaseOf(target.namespace(), Canaries.canaryName(target));
    }

    /** The {@code serin.io/release} label of a Deployment ("" if unlabelled), or empty if it does not exist. */
    Optional<String> releaseOf(String namespace, String name);

    /** Deletes a Deployment; deleting one that is already gone succeeds. */
    void delete(String namespace, String name);

    /**
     * Makes sure the target's pod template carries label {@code key=value}; returns whether it had
     * to be added (which rolls the target's pods, with their image unchanged).
     */
    boolean ensurePodLabel(WorkloadRef target, String key, String value);

    /** The desired replicas of Deployment {@code namespace/name}, 0 if it does not exist. */
    int currentReplicas(String namespace, String name);

    /** Annotation {@code key} of Deployment {@code namespace/name}; empty if either is missing. */
    Optional<String> annotation(String namespace, String name, String key);

    /**
     * Changes the target's annotations as one compare-and-set: {@code change} gets the current
     * annotations and returns the wanted ones. If someone else writes the Deployment in between,
     * {@code change} runs again on the fresh annotations, so a decision taken in it always holds for
     * what is written. {@code change} may throw to write nothing. Returns false, writing nothing,
     * if the target does not exist.
     */
    boolean updateAnnotations(WorkloadRef target, UnaryOperator<Map<String, String>> change);

    /** Sets annotation {@code key} of a Deployment to {@code value}, or removes it when {@code value} is null. */
    void annotate(String namespace, String name, String key, String value);

    /**
     * Records the target's pod template, replicas and update strategy on the target itself, for an
     * undo, unless release {@code releaseId} recorded them already (a retried or resumed update must
     * not record its own half-done change). A record of another release is replaced.
     */
    UpdateRecord recordUpdate(WorkloadRef target, String releaseId);

    /** The target's update record, if any. */
    Optional<UpdateRecord> updateRecord(WorkloadRef target);

    /**
     * Puts back the recorded pod template and update strategy (not the replicas: see
     * {@link #scale}); no-op if they are as recorded.
     */
    void restoreUpdate(WorkloadRef target);

    /** Removes the update record; no-op without one. */
    void forgetUpdate(WorkloadRef target);
}
