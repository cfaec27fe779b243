package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Service does with requests: it spreads them evenly over the ready pods its selector picks,
 * so each Deployment gets its share of those pods. Pods are the Deployments' ready replicas, labelled
 * as their pod template.
 */
final class ReplicaSplit {

    private ReplicaSplit() {
    }

    /** Requests per second per Deployment name; empty if no ready pod matches (the Service has no endpoints). */
    static Map<String, Double> spread(List<Deployment> deployments, Map<String, String> selector, double rate) {
        Map<String, Double> shares = new LinkedHashMap<>();
        if (selector == null || selector.isEmpty() || rate <= 0) {
            // a Service without a selector gets no endpoints from the cluster
            return shares;
        }
        long ready = 0;
        for (Deployment d : deployments) {
            if (selects(selector, d)) {
                ready += ready(d);
            }
        }
        if (ready == 0) {
            return shares;
        }
        for (Deployment d : deployments) {
            int pods = ready(d);
            if (pods > 0 && selects(selector, d)) {
                shares.put(d.getMetadata().getName(), rate * pods / ready);
            }
        }
        return shares;
    }

    static boolean selects(Map<String, String> selector, Deployment d) {
        Map<String, String> labels = d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    static int ready(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
