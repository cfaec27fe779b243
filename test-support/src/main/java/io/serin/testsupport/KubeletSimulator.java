package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the Deployment controller and the kubelets would do: some time after a Deployment's spec
 * changes, its status reports every replica updated, ready and available at the current
 * generation. Images whose tag contains {@code broken} never become ready; their Deployment ends
 * with Progressing=False, reason ProgressDeadlineExceeded, as a real one stuck in ImagePullBackOff.
 */
public final class KubeletSimulator implements AutoCloseable {

    private final KubernetesClient client;
    private final Duration readyDelay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-simulator");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Deployment> informer;

    private KubeletSimulator(KubernetesClient client, Duration readyDelay) {
        this.client = client;
        this.readyDelay = readyDelay;
    }

    static KubeletSimulator start(KubernetesClient client, Duration readyDelay) {
        KubeletSimulator kubelet = new KubeletSimulator(client, readyDelay);
        kubelet.informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                kubelet.reconcileLater(d);
            }

            @Override
            public void onUpdate(Deployment old, Deployment d) {
                kubelet.reconcileLater(d);
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
                // pods go with their Deployment
            }
        });
        return kubelet;
    }

    private void reconcileLater(Deployment d) {
        try {
            scheduleIfUnsettled(d);
        } catch (RuntimeException e) {
            // a Deployment a real API server would have refused (no template, say): a controller that
            // threw here would stop the informer's handler for every other Deployment
            System.err.println("kubelet-simulator: ignoring " + d.getMetadata().getNamespace() + "/"
                    + d.getMetadata().getName() + ": " + e);
        }
    }

    private void scheduleIfUnsettled(Deployment d) {
        if (!settled(d)) {
            String ns = d.getMetadata().getNamespace();
            String name = d.getMetadata().getName();
            scheduler.schedule(() -> reconcile(ns, name), readyDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile(String namespace, String name) {
        try {
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
            if (d == null || settled(d)) {
                return;
            }
            d.setStatus(statusFor(d));
            client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        } catch (KubernetesClientException e) {
            // a concurrent edit wins; its own event brings us back here
            if (e.getCode() != 409) {
                System.err.println("kubelet-simulator: cannot report " + namespace + "/" + name + ": " + e);
            }
        } catch (RuntimeException e) {
            System.err.println("kubelet-simulator: cannot report " + namespace + "/" + name + ": " + e);
        }
    }

    /** True when the status already tells the truth about the current spec. */
    private static boolean settled(Deployment d) {
        return d.getStatus() != null && Objects.equals(d.getStatus(), statusFor(d));
    }

    private static DeploymentStatus statusFor(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
        String brokenImage = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> c.getImage()).filter(i -> i != null && tag(i).contains("broken")).findFirst().orElse(null);
        String since = previousTransition(d);
        if (brokenImage != null && replicas > 0) {
            return new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withReadyReplicas(0).withAvailableReplicas(0)
                    .withUnavailableReplicas(replicas)
                    .withConditions(condition("Available", "False", "MinimumReplicasUnavailable",
                                    "Deployment does not have minimum availability.", since),
                            condition("Progressing", "False", "ProgressDeadlineExceeded",
                                    "ReplicaSet of " + d.getMetadata().getName() + " has timed out progressing: "
                                            + "pods in ImagePullBackOff for image " + brokenImage, since))
                    .build();
        }
        return new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                .withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withConditions(condition("Available", "True", "MinimumReplicasAvailable",
                                "Deployment has minimum availability.", since),
                        condition("Progressing", "True", "NewReplicaSetAvailable",
                                "ReplicaSet of " + d.getMetadata().getName() + " has successfully progressed.", since))
                .build();
    }

    /** Keeps condition timestamps stable so an unchanged status compares equal. */
    private static String previousTransition(Deployment d) {
        if (d.getStatus() != null && d.getStatus().getConditions() != null) {
            for (DeploymentCondition c : d.getStatus().getConditions()) {
                if (c.getLastTransitionTime() != null) {
                    return c.getLastTransitionTime();
                }
            }
        }
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static DeploymentCondition condition(String type, String status, String reason, String message,
            String time) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(time).withLastUpdateTime(time).build();
    }

    private static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "";
    }

    /** Deployments the simulator has seen, for diagnostics. */
    public List<String> known() {
        return informer.getStore().list().stream()
                .map(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()).toList();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        scheduler.shutdownNow();
    }
}
