package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.Variant;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of an app's Deployments plays which variant, and the releases in flight on it: the app
 * itself is stable; a Deployment annotated {@code serin.io/target: <app>} is the canary (or green)
 * or the baseline by its {@code serin.io/variant} label, of the release its {@code serin.io/release}
 * label names; a rolling or recreate update names its release in an annotation on the app itself.
 */
public record AppVariants(Map<Variant, Deployment> deployments, Set<String> releases) {

    static final String RELEASE = "serin.io/release";

    public static AppVariants of(ClusterView view, String namespace, String app) {
        Map<Variant, Deployment> deployments = new EnumMap<>(Variant.class);
        Set<String> releases = new TreeSet<>();
        Deployment target = view.deployment(namespace, app);
        if (target == null) {
            return new AppVariants(deployments, releases);
        }
        deployments.put(Variant.STABLE, target);
        Map<String, String> annotations = target.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(RELEASE) != null) {
            releases.add(annotations.get(RELEASE));
        }
        for (Deployment d : view.deployments(namespace)) {
            Map<String, String> labels = d.getMetadata().getLabels();
            if (!ServiceSplit.isVariantOf(d, app) || labels == null || labels.get(RELEASE) == null) {
                continue;
            }
            String variant = labels.get(ServiceSplit.VARIANT_LABEL);
            if (Variant.CANARY.label().equals(variant)) {
                deployments.put(Variant.CANARY, d);
            } else if (Variant.BASELINE.label().equals(variant)) {
                deployments.put(Variant.BASELINE, d);
            } else {
                continue;
            }
            releases.add(labels.get(RELEASE));
        }
        return new AppVariants(deployments, releases);
    }

    /** The image of the variant's only (or first) container. */
    public static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
