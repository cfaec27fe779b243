package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From backends to pods: a backend's Service selector, narrowed by its subset's labels, picks the
 * ready pods that serve it ({@link ReplicaSplit}). A blue-green switch is nothing but a selector
 * change here. Also finds the Services that preview a new version to testers.
 */
final class ServiceSplit {

    static final String VARIANT_LABEL = "serin.io/variant";
    static final String TARGET_ANNOTATION = "serin.io/target";

    private final ClusterView view;

    ServiceSplit(ClusterView view) {
        this.view = view;
    }

    /** Requests per second per Deployment name; empty if the Service is missing or has no ready pod. */
    Map<String, Double> pods(Backend backend, double rate) {
        Service service = view.service(backend.namespace(), backend.service());
        if (service == null || service.getSpec() == null || service.getSpec().getSelector() == null
                || service.getSpec().getSelector().isEmpty()) {
            return Map.of();
        }
        Map<String, String> selector = new HashMap<>(service.getSpec().getSelector());
        for (Map.Entry<String, String> label : backend.subset().entrySet()) {
            if (selector.containsKey(label.getKey()) && !selector.get(label.getKey()).equals(label.getValue())) {
                // a subset picks among the Service's endpoints: asking for pods it does not select leaves none (503)
                return Map.of();
            }
            selector.put(label.getKey(), label.getValue());
        }
        return ReplicaSplit.spread(view.deployments(backend.namespace()), selector, rate);
    }

    /**
     * Services that show {@code app}'s new version to testers, not to clients: they select its
     * canary (green) pods, and they are neither the app's own Service nor the canary and baseline
     * Services routers send a share of clients to.
     */
    List<Backend> previews(String namespace, String app) {
        List<Backend> previews = new ArrayList<>();
        for (Service s : view.services(namespace)) {
            String name = s.getMetadata().getName();
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (name.equals(app) || name.equals(app + "-canary") || name.equals(app + "-baseline") || selector == null
                    || !"canary".equals(selector.get(VARIANT_LABEL))) {
                continue;
            }
            for (Deployment d : view.deployments(namespace)) {
                if (isVariantOf(d, app) && ReplicaSplit.selects(selector, d)) {
                    previews.add(Backend.service(namespace, name));
                    break;
                }
            }
        }
        return previews;
    }

    static boolean isVariantOf(Deployment d, String app) {
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        return annotations != null && app.equals(annotations.get(TARGET_ANNOTATION));
    }
}
