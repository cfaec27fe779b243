package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.serin.events.FailureReason;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Workloads;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link Workloads} on apps/v1 Deployments through fabric8. Check the state, then edit only what differs. */
public final class KubernetesWorkloads implements Workloads {

    private final KubernetesClient client;
    private final KubeCalls calls;

    public KubernetesWorkloads(KubernetesClient client, Duration apiDeadline) {
        this.client = client;
        this.calls = new KubeCalls(apiDeadline);
    }

    private RollableScalableResource<Deployment> deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name);
    }

    private Deployment require(String namespace, String name) {
        Deployment d = calls.call("read Deployment " + namespace + "/" + name, () -> deployment(namespace, name).get());
        if (d == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "Deployment " + namespace + "/" + name + " not found");
        }
        return d;
    }

    @Override
    public Replicas replicas(WorkloadRef target) {
        return replicasOf(require(target.namespace(), target.name()));
    }

    @Override
    public void ensureCanary(WorkloadRef target, String canaryName, String releaseId, VersionSpec to, int replicas) {
        String ns = target.namespace();
        Deployment existing = calls.call("read Deployment " + ns + "/" + canaryName,
                () -> deployment(ns, canaryName).get());
        if (existing == null) {
            Deployment canary = canaryOf(require(ns, target.name()), canaryName, releaseId, to, replicas);
            calls.run("create Deployment " + ns + "/" + canaryName,
                    () -> client.apps().deployments().inNamespace(ns).resource(canary).create());
            return;
        }
        String owner = existing.getMetadata().getLabels() == null ? null
                : existing.getMetadata().getLabels().get(Canaries.RELEASE_LABEL);
        if (!releaseId.equals(owner)) {
            throw new ExecutionFailure(FailureReason.INVALID, "Deployment " + ns + "/" + canaryName
                    + " exists but belongs to release '" + owner + "', not '" + releaseId + "'");
        }
        boolean imageCurrent = to.image().equals(container(existing, to.container(), ns + "/" + canaryName).getImage());
        if (!imageCurrent || !Objects.equals(existing.getSpec().getReplicas(), replicas)) {
            calls.run("scale Deployment " + ns + "/" + canaryName + " to " + replicas + " running " + to.image(),
                    () -> deployment(ns, canaryName).edit(d -> {
                        d.getSpec().setReplicas(replicas);
                        container(d, to.container(), ns + "/" + canaryName).setImage(to.image());
                        return d;
                    }));
        }
    }

    @Override
    public void updateImage(WorkloadRef target, VersionSpec to) {
        String ns = target.namespace();
        Deployment current = require(ns, target.name());
        if (to.image().equals(container(current, to.container(), target.toString()).getImage())) {
            return;
        }
        calls.run("set image of Deployment " + target + " to " + to.image(), () -> deployment(ns, target.name())
                .edit(d -> {
                    container(d, to.container(), target.toString()).setImage(to.image());
                    return d;
                }));
    }

    @Override
    public boolean ensurePodLabel(WorkloadRef target, String key, String value) {
        Deployment current = require(target.namespace(), target.name());
        Map<String, String> labels = current.getSpec().getTemplate().getMetadata() == null ? null
                : current.getSpec().getTemplate().getMetadata().getLabels();
        if (labels != null && value.equals(labels.get(key))) {
            return false;
        }
        calls.run("label the pods of Deployment " + target + " " + key + "=" + value,
                () -> deployment(target.namespace(), target.name()).edit(d -> new DeploymentBuilder(d)
                        .editSpec().editTemplate().editOrNewMetadata().addToLabels(key, value).endMetadata()
                        .endTemplate().endSpec().build()));
        return true;
    }

    @Override
    public int currentReplicas(String namespace, String name) {
        Deployment d = calls.call("read Deployment " + namespace + "/" + name, () -> deployment(namespace, name).get());
        return d == null ? 0 : d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    @Override
    public Replicas awaitRolledOut(String namespace, String name, Duration timeout) {
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicReference<Deployment> last = new AtomicReference<>();
        try {
            // waitUntilCondition watches the object (an informer), it does not poll.
            Deployment done = calls.call("watch Deployment " + namespace + "/" + name,
                    () -> deployment(namespace, name).waitUntilCondition(d -> {
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

    @Override
    public java.util.Optional<String> canaryRelease(WorkloadRef target) {
        String name = Canaries.canaryName(target);
        Deployment canary = calls.call("read Deployment " + target.namespace() + "/" + name,
                () -> deployment(target.namespace(), name).get());
        if (canary == null) {
            return java.util.Optional.empty();
        }
        Map<String, String> labels = canary.getMetadata().getLabels();
        return java.util.Optional.of(labels == null ? "" : labels.getOrDefault(Canaries.RELEASE_LABEL, ""));
    }

    @Override
    public void delete(String namespace, String name) {
        calls.run("delete Deployment " + namespace + "/" + name, () -> deployment(namespace, name).delete());
    }

    static boolean rolledOut(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null) {
            return false;
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        return s.getObservedGeneration() != null && s.getObservedGeneration() >= generation
                && n(s.getUpdatedReplicas()) == desired && n(s.getReadyReplicas()) == desired
                && n(s.getAvailableReplicas()) == desired && n(s.getReplicas()) == desired;
    }

    /** The Deployment controller gives up with Progressing=False / ProgressDeadlineExceeded. */
    static String stuckReason(Deployment d) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
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

    private static String progress(Deployment d) {
        DeploymentStatus s = d.getStatus();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return s == null ? "no status yet" : n(s.getReadyReplicas()) + "/" + desired + " ready, "
                + n(s.getUpdatedReplicas()) + " updated";
    }

    private static Replicas replicasOf(Deployment d) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return new Replicas(desired, d.getStatus() == null ? 0 : n(d.getStatus().getReadyReplicas()));
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static Container container(Deployment d, String name, String what) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (name == null) {
            if (containers.size() != 1) {
                throw new ExecutionFailure(FailureReason.INVALID, what + " has " + containers.size()
                        + " containers; the release must name one in to.container");
            }
            return containers.get(0);
        }
        return containers.stream().filter(c -> name.equals(c.getName())).findFirst().orElseThrow(() ->
                new ExecutionFailure(FailureReason.INVALID, what + " has no container '" + name + "'"));
    }

    /**
     * The canary: the target's pod template with the new image. Its pods keep the target's labels,
     * so the target's Service sends them traffic, plus a variant label its own selector includes,
     * so the two Deployments never claim each other's pods.
     */
    private static Deployment canaryOf(Deployment target, String name, String releaseId, VersionSpec to, int replicas) {
        Map<String, String> marks = Map.of(Canaries.RELEASE_LABEL, releaseId, Canaries.VARIANT_LABEL, "canary");
        Map<String, String> labels = new HashMap<>(marks);
        labels.put(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY);
        Deployment canary = new DeploymentBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(target.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(Map.of(Canaries.TARGET_ANNOTATION, target.getMetadata().getName()))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                            .withName(target.getMetadata().getName()).withUid(target.getMetadata().getUid()).build())
                .endMetadata()
                .withNewSpecLike(target.getSpec())
                    .withReplicas(replicas)
                    .editSelector().addToMatchLabels(Canaries.VARIANT_LABEL, "canary").endSelector()
                    .editTemplate().editOrNewMetadata().addToLabels(marks).endMetadata().endTemplate()
                .endSpec()
                .build();
        container(canary, to.container(), "Deployment " + target.getMetadata().getNamespace() + "/"
                + target.getMetadata().getName()).setImage(to.image());
        return canary;
    }
}
