package io.serin.executor.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serin.events.FailureReason;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Services;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selector changes that can be undone: the first change records the selector as it was, as JSON
 * in {@link Canaries#ORIGINAL_SELECTOR_ANNOTATION} on the Service itself, so a restart or another
 * executor replica can still put it back; restoring drops the record.
 */
final class ServiceSelectors {

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final KubernetesSerialization json;
    private final Patches patches;

    ServiceSelectors(KubernetesSerialization json, Patches patches) {
        this.json = json;
        this.patches = patches;
    }

    Services.Selector read(Service s) {
        Map<String, String> current = selector(s);
        String recorded = annotations(s).get(Canaries.ORIGINAL_SELECTOR_ANNOTATION);
        return new Services.Selector(current, recorded == null ? current : parse(s, recorded));
    }

    /** Sets the selector to {@code selector}, recording the original on the first change. */
    void select(String what, Resource<Service> resource, Map<String, String> selector) {
        patches.edit("set the selector of " + what + " to " + new TreeMap<>(selector), resource, s -> {
            Map<String, String> a = new HashMap<>(annotations(s));
            if (!a.containsKey(Canaries.ORIGINAL_SELECTOR_ANNOTATION) && !selector.equals(selector(s))) {
                a.put(Canaries.ORIGINAL_SELECTOR_ANNOTATION, json.asJson(new TreeMap<>(selector(s))));
                s.getMetadata().setAnnotations(a);
            }
            s.getSpec().setSelector(new HashMap<>(selector));
            return s;
        });
    }

    /** The original selector plus {@code serin.io/variant=variant}. */
    void selectVariant(String what, Resource<Service> resource, Service current, String variant) {
        Map<String, String> selector = new HashMap<>(read(current).original());
        selector.put(Canaries.VARIANT_LABEL, variant);
        select(what, resource, selector);
    }

    void restore(String what, Resource<Service> resource) {
        patches.edit("restore the original selector of " + what, resource, s -> {
            Map<String, String> a = new HashMap<>(annotations(s));
            String recorded = a.remove(Canaries.ORIGINAL_SELECTOR_ANNOTATION);
            if (recorded != null) {
                s.getSpec().setSelector(parse(s, recorded));
                s.getMetadata().setAnnotations(a);
            }
            return s;
        });
    }

    private Map<String, String> parse(Service s, String recorded) {
        try {
            return json.unmarshal(new ByteArrayInputStream(recorded.getBytes(StandardCharsets.UTF_8)), MAP);
        } catch (RuntimeException e) {
            throw new ExecutionFailure(FailureReason.INVALID, "Service " + s.getMetadata().getNamespace() + "/"
                    + s.getMetadata().getName() + " has an unreadable annotation "
                    + Canaries.ORIGINAL_SELECTOR_ANNOTATION + " (edited by hand?): " + e.getMessage(), e);
        }
    }

    private static Map<String, String> selector(Service s) {
        return s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
    }

    private static Map<String, String> annotations(Service s) {
        return s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
    }
}
