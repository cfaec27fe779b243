package io.serin.executor.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serin.events.FailureReason;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Workloads;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record an update leaves on its target for an undo, as annotations of the Deployment
 * itself: it survives a restart of the executor and goes wherever the Deployment goes, and
 * annotations do not roll pods. Like {@code kubectl rollout undo} it holds the pod template; it
 * also holds the replicas (recreate scales to zero) and the strategy (a rolling update may set
 * maxSurge/maxUnavailable).
 */
final class UpdateRecords {

    static final String TEMPLATE = "serin.io/previous-template";
    static final String REPLICAS = "serin.io/previous-replicas";
    static final String STRATEGY = "serin.io/previous-strategy";
    static final String RELEASE = "serin.io/release";
    private static final List<String> ALL = List.of(TEMPLATE, REPLICAS, STRATEGY, RELEASE);

    private final KubernetesSerialization json;
    private final Patches patches;

    UpdateRecords(KubernetesSerialization json, Patches patches) {
        this.json = json;
        this.patches = patches;
    }

    Optional<Workloads.UpdateRecord> read(Deployment d) {
        Map<String, String> a = annotations(d);
        if (!a.containsKey(TEMPLATE)) {
            return Optional.empty();
        }
        return Optional.of(new Workloads.UpdateRecord(a.getOrDefault(RELEASE, ""), replicas(d, a),
                tree(template(d, a)).equals(tree(d.getSpec().getTemplate()))));
    }

    /** Writes the record unless {@code releaseId} wrote it already. */
    Workloads.UpdateRecord record(String what, Resource<Deployment> resource, Deployment current, String releaseId) {
        Optional<Workloads.UpdateRecord> existing = read(current);
        if (existing.isPresent() && existing.get().releaseId().equals(releaseId)) {
            return existing.get();
        }
        patches.edit("record the pod template of " + what + " for an undo", resource, d -> {
            Map<String, String> a = new HashMap<>(annotations(d));
            a.put(TEMPLATE, json.asJson(d.getSpec().getTemplate()));
            a.put(REPLICAS, Integer.toString(Rollouts.desired(d)));
            a.put(STRATEGY, d.getSpec().getStrategy() == null ? "null" : json.asJson(d.getSpec().getStrategy()));
            a.put(RELEASE, releaseId);
            d.getMetadata().setAnnotations(a);
            return d;
        });
        return new Workloads.UpdateRecord(releaseId, Rollouts.desired(current), true);
    }

    void restore(String what, Resource<Deployment> resource) {
        patches.edit("restore the recorded pod template of " + what, resource, d -> {
            Map<String, String> a = annotations(d);
            if (!a.containsKey(TEMPLATE)) {
                return d;
            }
            d.getSpec().setTemplate(template(d, a));
            String strategy = a.get(STRATEGY);
            if (strategy != null) {
                d.getSpec().setStrategy("null".equals(strategy) ? null : parse(d, strategy, DeploymentStrategy.class));
            }
            return d;
        });
    }

    void forget(String what, Resource<Deployment> resource) {
        patches.edit("drop the update record of " + what, resource, d -> {
            Map<String, String> a = new HashMap<>(annotations(d));
            if (a.keySet().removeAll(ALL)) {
                d.getMetadata().setAnnotations(a);
            }
            return d;
        });
    }

    private PodTemplateSpec template(Deployment d, Map<String, String> a) {
        return parse(d, a.get(TEMPLATE), PodTemplateSpec.class);
    }

    private int replicas(Deployment d, Map<String, String> a) {
        try {
            return a.containsKey(REPLICAS) ? Integer.parseInt(a.get(REPLICAS)) : Rollouts.desired(d);
        } catch (NumberFormatException e) {
            throw corrupt(d, REPLICAS, e);
        }
    }

    private <T> T parse(Deployment d, String value, Class<T> type) {
        try {
            return json.unmarshal(value, type);
        } catch (RuntimeException e) {
            throw corrupt(d, type == PodTemplateSpec.class ? TEMPLATE : STRATEGY, e);
        }
    }

    private JsonNode tree(Object o) {
        return json.convertValue(o, JsonNode.class);
    }

    private static ExecutionFailure corrupt(Deployment d, String key, Exception e) {
        return new ExecutionFailure(FailureReason.INVALID, "Deployment " + d.getMetadata().getNamespace() + "/"
                + d.getMetadata().getName() + " has an unreadable annotation " + key + " (edited by hand?): "
                + e.getMessage(), e);
    }

    private static Map<String, String> annotations(Deployment d) {
        return d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
    }
}
