package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.serin.events.FailureReason;
import io.serin.events.VersionSpec;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The desired Deployments beside a target (canary, green, baseline), built from its own; no API calls. */
final class VariantDeployments {

    private VariantDeployments() {
    }

    /**
     * A copy of the target's pod template, with {@code to}'s image unless null (a baseline). Its
     * pods keep the target's labels, so the target's Service sends them traffic until it is narrowed,
     * plus a variant label its own selector includes, so no two Deployments claim each other's pods.
     */
    static Deployment of(Deployment target, String name, String releaseId, String variant, VersionSpec to,
            int replicas) {
        Map<String, String> marks = Map.of(Canaries.RELEASE_LABEL, releaseId, Canaries.VARIANT_LABEL, variant);
        Map<String, String> labels = new HashMap<>(marks);
        labels.put(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY);
        Deployment copy = new DeploymentBuilder()
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
                    .editSelector().addToMatchLabels(Canaries.VARIANT_LABEL, variant).endSelector()
                    .editTemplate().editOrNewMetadata().addToLabels(marks).endMetadata().endTemplate()
                .endSpec()
                .build();
        if (to != null) {
            container(copy, to.container(), "Deployment " + target.getMetadata().getNamespace() + "/"
                    + target.getMetadata().getName()).setImage(to.image());
        }
        return copy;
    }

    /** The container a version names, or the only one. */
    static Container container(Deployment d, String name, String what) {
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
}
