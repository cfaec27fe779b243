package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.serin.events.FailureReason;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Workloads;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link Workloads} on apps/v1 Deployments through fabric8. Check the state, then edit only what differs. */
public final class KubernetesWorkloads implements Workloads {

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final Rollouts rollouts;
    private final UpdateRecords records;

    public KubernetesWorkloads(KubernetesClient client, Duration apiDeadline) {
        this.client = client;
        this.calls = new KubeCalls(apiDeadline);
        this.patches = new Patches(client, calls);
        this.rollouts = new Rollouts(client, calls);
        this.records = new UpdateRecords(client.getKubernetesSerialization(), patches);
    }

    private RollableScalableResource<Deployment> deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name);
    }

    private Deployment find(String namespace, String name) {
        return calls.call("read Deployment " + namespace + "/" + name, () -> deployment(namespace, name).get());
    }

    private Deployment require(String namespace, String name) {
        Deployment d = find(namespace, name);
        if (d == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "Deployment " + namespace + "/" + name + " not found");
        }
        return d;
    }

    @Override
    public Replicas replicas(WorkloadRef target) {
        return Rollouts.replicasOf(require(target.namespace(), target.name()));
    }

    @Override
    public void ensureCanary(WorkloadRef target, String canaryName, String releaseId, VersionSpec to, int replicas) {
        ensureVariant(target, canaryName, releaseId, Canaries.CANARY, to, replicas);
    }

    @Override
    public void ensureBaseline(WorkloadRef target, String releaseId, int replicas) {
        ensureVariant(target, Canaries.baselineName(target), releaseId, Canaries.BASELINE, null, replicas);
    }

    /** Created from the target if missing; else only image and replicas are kept as asked. */
    private void ensureVariant(WorkloadRef target, String name, String releaseId, String variant, VersionSpec to,
            int replicas) {
        String ns = target.namespace();
        String what = "Deployment " + ns + "/" + name;
        Deployment existing = find(ns, name);
        if (existing == null) {
            Deployment created = VariantDeployments.of(require(ns, target.name()), name, releaseId, variant, to,
                    replicas);
            calls.run("create " + what, () -> client.apps().deployments().inNamespace(ns).resource(created).create());
            return;
        }
        String owner = existing.getMetadata().getLabels() == null ? null
                : existing.getMetadata().getLabels().get(Canaries.RELEASE_LABEL);
        Map<String, String> annotations = existing.getMetadata().getAnnotations() == null ? Map.of()
                : existing.getMetadata().getAnnotations();
        if (!releaseId.equals(owner)) {
            String removeAfter = annotations.get(Canaries.REMOVE_AFTER_ANNOTATION);
            throw new ExecutionFailure(FailureReason.INVALID, what + " exists but belongs to release '" + owner
                    + "', not '" + releaseId + "'" + (removeAfter == null ? ""
                    : " (rolled back; its pods go at " + removeAfter + ")"));
        }
        patches.edit("scale " + what + " to " + replicas + (to == null ? "" : " running " + to.image()),
                deployment(ns, name), d -> {
                    if (d.getMetadata().getAnnotations() != null) {
                        // in use again: no pending removal of a rollback may take it away
                        d.getMetadata().getAnnotations().remove(Canaries.REMOVE_AFTER_ANNOTATION);
                    }
                    d.getSpec().setReplicas(replicas);
                    if (to != null) {
                        VariantDeployments.container(d, to.container(), what).setImage(to.image());
                    }
                    return d;
                });
    }

    @Override
    public void updateImage(WorkloadRef target, VersionSpec to) {
        Deployment current = require(target.namespace(), target.name());
        if (runs(current, to, target)) {
            return;
        }
        patches.edit("set image of Deployment " + target + " to " + to.image(), deployment(target), d -> {
            VariantDeployments.container(d, to.container(), "Deployment " + target).setImage(to.image());
            return d;
        });
    }

    @Override
    public boolean runs(WorkloadRef target, VersionSpec to) {
        return runs(require(target.namespace(), target.name()), to, target);
    }

    private static boolean runs(Deployment d, VersionSpec to, WorkloadRef target) {
        return to.image().equals(VariantDeployments.container(d, to.container(), "Deployment " + target).getImage());
    }

    @Override
    public void rollingUpdate(WorkloadRef target, VersionSpec to, String maxSurge, String maxUnavailable) {
        require(target.namespace(), target.name());
        patches.edit("roll Deployment " + target + " to " + to.image(), deployment(target), d -> {
            VariantDeployments.container(d, to.container(), "Deployment " + target).setImage(to.image());
            if (maxSurge != null || maxUnavailable != null) {
                DeploymentStrategy strategy = d.getSpec().getStrategy() == null ? new DeploymentStrategy()
                        : d.getSpec().getStrategy();
                // the API refuses rollingUpdate parameters on a Recreate strategy
                strategy.setType("RollingUpdate");
                RollingUpdateDeployment rolling = strategy.getRollingUpdate() == null ? new RollingUpdateDeployment()
                        : strategy.getRollingUpdate();
                if (maxSurge != null) {
                    rolling.setMaxSurge(intOrPercent(maxSurge));
                }
                if (maxUnavailable != null) {
                    rolling.setMaxUnavailable(intOrPercent(maxUnavailable));
                }
                strategy.setRollingUpdate(rolling);
                d.getSpec().setStrategy(strategy);
            }
            return d;
        });
    }

    private static IntOrString intOrPercent(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }

    @Override
    public void scale(WorkloadRef target, int replicas) {
        require(target.namespace(), target.name());
        patches.edit("scale Deployment " + target + " to " + replicas, deployment(target), d -> {
            d.getSpec().setReplicas(replicas);
            return d;
        });
    }

    @Override
    public boolean ensurePodLabel(WorkloadRef target, String key, String value) {
        Deployment current = require(target.namespace(), target.name());
        Map<String, String> labels = current.getSpec().getTemplate().getMetadata() == null ? null
                : current.getSpec().getTemplate().getMetadata().getLabels();
        if (labels != null && value.equals(labels.get(key))) {
            return false;
        }
        patches.edit("label the pods of Deployment " + target + " " + key + "=" + value, deployment(target), d -> {
            if (d.getSpec().getTemplate().getMetadata() == null) {
                d.getSpec().getTemplate().setMetadata(new ObjectMeta());
            }
            Map<String, String> podLabels = new HashMap<>(d.getSpec().getTemplate().getMetadata().getLabels() == null
                    ? Map.of() : d.getSpec().getTemplate().getMetadata().getLabels());
            podLabels.put(key, value);
            d.getSpec().getTemplate().getMetadata().setLabels(podLabels);
            return d;
        });
        return true;
    }

    @Override
    public int currentReplicas(String namespace, String name) {
        Deployment d = find(namespace, name);
        return d == null ? 0 : Rollouts.desired(d);
    }

    @Override
    public Replicas awaitRolledOut(String namespace, String name, Duration timeout) {
        return rollouts.await(namespace, name, timeout);
    }

    @Override
    public Optional<String> releaseOf(String namespace, String name) {
        Deployment d = find(namespace, name);
        if (d == null) {
            return Optional.empty();
        }
        Map<String, String> labels = d.getMetadata().getLabels();
        return Optional.of(labels == null ? "" : labels.getOrDefault(Canaries.RELEASE_LABEL, ""));
    }

    @Override
    public void delete(String namespace, String name) {
        calls.run("delete Deployment " + namespace + "/" + name, () -> deployment(namespace, name).delete());
    }

    @Override
    public Optional<String> annotation(String namespace, String name, String key) {
        Deployment d = find(namespace, name);
        return d == null || d.getMetadata().getAnnotations() == null ? Optional.empty()
                : Optional.ofNullable(d.getMetadata().getAnnotations().get(key));
    }

    @Override
    public void annotate(String namespace, String name, String key, String value) {
        String what = "Deployment " + namespace + "/" + name;
        patches.edit((value == null ? "remove annotation " + key + " of " : "annotate " + key + "=" + value + " on ")
                + what, deployment(namespace, name), d -> {
                    Map<String, String> a = new HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of()
                            : d.getMetadata().getAnnotations());
                    if (!Objects.equals(a.get(key), value)) {
                        if (value == null) {
                            a.remove(key);
                        } else {
                            a.put(key, value);
                        }
                        d.getMetadata().setAnnotations(a);
                    }
                    return d;
                });
    }

    @Override
    public boolean updateAnnotations(WorkloadRef target, UnaryOperator<Map<String, String>> change) {
        if (find(target.namespace(), target.name()) == null) {
            return false;
        }
        patches.edit("annotate Deployment " + target, deployment(target), d -> {
            Map<String, String> current = d.getMetadata().getAnnotations() == null ? Map.of()
                    : Map.copyOf(d.getMetadata().getAnnotations());
            Map<String, String> wanted = change.apply(current);
            if (!wanted.equals(current)) {
                d.getMetadata().setAnnotations(new HashMap<>(wanted));
            }
            return d;
        });
        return true;
    }

    @Override
    public UpdateRecord recordUpdate(WorkloadRef target, String releaseId) {
        return records.record("Deployment " + target, deployment(target), require(target.namespace(), target.name()),
                releaseId);
    }

    @Override
    public Optional<UpdateRecord> updateRecord(WorkloadRef target) {
        return records.read(require(target.namespace(), target.name()));
    }

    @Override
    public void restoreUpdate(WorkloadRef target) {
        records.restore("Deployment " + target, deployment(target));
    }

    @Override
    public void forgetUpdate(WorkloadRef target) {
        records.forget("Deployment " + target, deployment(target));
    }

    private RollableScalableResource<Deployment> deployment(WorkloadRef target) {
        return deployment(target.namespace(), target.name());
    }
}
