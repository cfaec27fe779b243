package io.serin.executor.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.serin.events.FailureReason;
import io.serin.executor.execute.ExecutionFailure;

import java.util.function.UnaryOperator;

/**
 * Read, change, patch only the difference. The JSON Patch carries the resourceVersion it was
 * computed from, so the API server answers 409 Conflict when someone edited the object in between;
 * {@link KubeCalls} then retries the whole read-change-patch on fresh state. No difference, no
 * write: applying a change twice leaves the object (and its resourceVersion) as it is.
 */
final class Patches {

    private final KubernetesClient client;
    private final KubeCalls calls;

    Patches(KubernetesClient client, KubeCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    /** Applies {@code change} to a fresh copy of the object; returns whether anything was written. */
    <T extends HasMetadata> boolean edit(String what, Resource<T> resource, UnaryOperator<T> change) {
        return calls.call(what, () -> {
            T current = resource.get();
            if (current == null) {
                throw new ExecutionFailure(FailureReason.NOT_FOUND, "cannot " + what + ": it does not exist");
            }
            KubernetesSerialization json = client.getKubernetesSerialization();
            JsonNode before = json.convertValue(current, JsonNode.class);
            JsonNode after = json.convertValue(change.apply(json.clone(current)), JsonNode.class);
            JsonNode diff = JsonDiff.asJson(before, after);
            if (diff.isEmpty()) {
                return false;
            }
            ArrayNode ops = JsonNodeFactory.instance.arrayNode();
            ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
                    .put("value", current.getMetadata().getResourceVersion());
            diff.forEach(ops::add);
            resource.patch(PatchContext.of(PatchType.JSON), ops.toString());
            return true;
        });
    }
}
