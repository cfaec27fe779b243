package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.serin.events.FailureReason;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Workloads;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waiting for a Deployment to roll out, judged as {@code kubectl rollout status} does: nothing
 * counts until the controller has observed the current generation; then every replica updated,
 * ready and available and none terminating is done, and Progressing=False is stuck.
 */
final class Rollouts {

    private final KubernetesClient client;
    private final KubeCalls calls;

    Rollouts(KubernetesClient client, KubeCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    Workloads.Replicas await(String namespace, String name, Duration timeout) {
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicReference<Deployment> last = new AtomicReference<>();
        try {
            // waitUntilCondition watches the object (an informer), it does not poll.
            Deployment done = calls.call("watch Deployment " + namespace + "/" + name,
                    () -> client.apps().deployments().inNamespace(namespace).withName(name).waitUntilCondition(d -> {
                        last.set(d);
                        if (d == null) {
                            failure.set("Deployment " + namespace + "/" + name + " disappeared");
                            return true;
                        }
                        String stuck = stuckReason(d);
                        if (stuck != null) {
                            failure.set(stuck);
                            return true;
                        }
                        return rolledOut(d);
                    }, timeout.toMillis(), TimeUnit.MILLISECONDS));
            if (failure.get() != null) {
                throw new ExecutionFailure(FailureReason.NOT_READY, failure.get());
            }
            return replicasOf(done);
        } catch (KubernetesClientTimeoutException e) {
            Deployment d = last.get();
            throw new ExecutionFailure(FailureReason.NOT_READY, "Deployment " + namespace + "/" + name
                    + " not ready within " + timeout + (d == null ? "" : " (" + progress(d) + ")"), e);
        }
    }

    static boolean rolledOut(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (!observed(d)) {
            return false;
        }
        int desired = desired(d);
        return n(s.getUpdatedReplicas()) == desired && n(s.getReadyReplicas()) == desired
                && n(s.getAvailableReplicas()) == desired && n(s.getReplicas()) == desired
                && n(s.getTerminatingReplicas()) == 0;
    }

    /**
     * The Deployment controller gives up with Progressing=False / ProgressDeadlineExceeded. A
     * condition of an older generation says nothing about the template just applied (an undo of a
     * stuck rollout would otherwise fail at once).
     */
    static String stuckReason(Deployment d) {
        if (!observed(d) || d.getStatus().getConditions() == null) {
            return null;
        }
        for (DeploymentCondition c : d.getStatus().getConditions()) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                return "Deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()
                        + " stopped progressing: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
        }
        return null;
    }

    private static boolean observed(Deployment d) {
        DeploymentStatus s = d.getStatus();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
    }

    private static String progress(Deployment d) {
        DeploymentStatus s = d.getStatus();
        return s == null ? "no status yet" : n(s.getReadyReplicas()) + "/" + desired(d) + " ready, "
                + n(s.getUpdatedReplicas()) + " updated" + (n(s.getTerminatingReplicas()) == 0 ? ""
                : ", " + s.getTerminatingReplicas() + " terminating");
    }

    static Workloads.Replicas replicasOf(Deployment d) {
        return new Workloads.Replicas(desired(d), d.getStatus() == null ? 0 : n(d.getStatus().getReadyReplicas()));
    }

    static int desired(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
