package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import io.serin.events.FailureReason;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.Services;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link Services} on core/v1 Services: create what is missing, patch only what differs. */
public final class KubernetesServices implements Services {

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final ServiceSelectors selectors;

    public KubernetesServices(KubernetesClient client, Duration apiDeadline) {
        this.client = client;
        this.calls = new KubeCalls(apiDeadline);
        this.patches = new Patches(client, calls);
        this.selectors = new ServiceSelectors(client.getKubernetesSerialization(), patches);
    }

    private ServiceResource<Service> service(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name);
    }

    private Service find(String namespace, String name) {
        return calls.call("read Service " + namespace + "/" + name, () -> service(namespace, name).get());
    }

    private Service require(String namespace, String name, String role) {
        Service s = find(namespace, name);
        if (s == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "Service " + namespace + "/" + name + role
                    + " not found");
        }
        return s;
    }

    @Override
    public void ensureCanaryService(WorkloadRef target, String releaseId) {
        ensureVariantService(target, releaseId, Canaries.canaryServiceName(target), Canaries.CANARY);
    }

    @Override
    public void ensureBaselineService(WorkloadRef target, String releaseId) {
        ensureVariantService(target, releaseId, Canaries.baselineServiceName(target), Canaries.BASELINE);
    }

    /** The stable Service's selector (as the user wrote it) plus the variant, and its ports. */
    private void ensureVariantService(WorkloadRef target, String releaseId, String name, String variant) {
        String ns = target.namespace();
        Service stable = require(ns, Canaries.stableServiceName(target), " (the stable Service, named like the target)");
        Map<String, String> selector = new HashMap<>(selectors.read(stable).original());
        selector.put(Canaries.VARIANT_LABEL, variant);
        ensureOwnService(target, releaseId, name, selector, ports(stable));
    }

    @Override
    public void restrictToStable(WorkloadRef target) {
        String ns = target.namespace();
        String name = Canaries.stableServiceName(target);
        patches.edit("narrow Service " + ns + "/" + name + " to " + Canaries.VARIANT_LABEL + "=" + Canaries.STABLE,
                service(ns, name), s -> {
                    Map<String, String> selector = new HashMap<>(s.getSpec().getSelector() == null ? Map.of()
                            : s.getSpec().getSelector());
                    selector.put(Canaries.VARIANT_LABEL, Canaries.STABLE);
                    s.getSpec().setSelector(selector);
                    return s;
                });
    }

    @Override
    public void deleteCanaryService(WorkloadRef target) {
        delete(target.namespace(), Canaries.canaryServiceName(target));
    }

    @Override
    public void deleteBaselineService(WorkloadRef target) {
        delete(target.namespace(), Canaries.baselineServiceName(target));
    }

    private void delete(String ns, String name) {
        calls.run("delete Service " + ns + "/" + name, () -> service(ns, name).delete());
    }

    @Override
    public Selector selector(String namespace, String name) {
        return selectors.read(require(namespace, name, ""));
    }

    @Override
    public void selectVariant(String namespace, String name, String variant) {
        selectors.selectVariant("Service " + namespace + "/" + name, service(namespace, name),
                require(namespace, name, ""), variant);
    }

    @Override
    public void restoreSelector(String namespace, String name) {
        require(namespace, name, "");
        selectors.restore("Service " + namespace + "/" + name, service(namespace, name));
    }

    @Override
    public void ensurePreviewService(WorkloadRef target, String releaseId, String name, Map<String, String> selector,
            String portsOf) {
        String ns = target.namespace();
        Service existing = find(ns, name);
        if (existing != null && !isOwn(existing)) {
            selectors.select("Service " + ns + "/" + name, service(ns, name), selector);
            return;
        }
        ensureOwnService(target, releaseId, name, selector, ports(require(ns, portsOf, "")));
    }

    @Override
    public void removePreviewService(String namespace, String name) {
        Service existing = find(namespace, name);
        if (existing == null) {
            return;
        }
        if (isOwn(existing)) {
            delete(namespace, name);
        } else {
            selectors.restore("Service " + namespace + "/" + name, service(namespace, name));
        }
    }

    /** A Service Serin creates and may delete: labelled managed-by Serin and with its release. */
    private void ensureOwnService(WorkloadRef target, String releaseId, String name, Map<String, String> selector,
            List<ServicePort> ports) {
        String ns = target.namespace();
        Service existing = find(ns, name);
        if (existing == null) {
            Service created = new ServiceBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns)
                        .addToLabels(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY)
                        .addToLabels(Canaries.RELEASE_LABEL, releaseId)
                        .addToAnnotations(Canaries.TARGET_ANNOTATION, target.name())
                    .endMetadata()
                    .withNewSpec().withSelector(selector).withPorts(ports).endSpec()
                    .build();
            calls.run("create Service " + ns + "/" + name, () -> client.services().inNamespace(ns).resource(created)
                    .create());
            return;
        }
        patches.edit("update Service " + ns + "/" + name, service(ns, name), s -> {
            Map<String, String> labels = new HashMap<>(s.getMetadata().getLabels() == null ? Map.of()
                    : s.getMetadata().getLabels());
            labels.put(Canaries.RELEASE_LABEL, releaseId);
            s.getMetadata().setLabels(labels);
            s.getSpec().setSelector(selector);
            s.getSpec().setPorts(ports);
            return s;
        });
    }

    /** Node ports and cluster IPs belong to the Service they were copied from; a new one gets its own. */
    private static List<ServicePort> ports(Service from) {
        return from.getSpec().getPorts().stream().map(p -> new ServicePortBuilder(p).withNodePort(null).build())
                .toList();
    }

    private static boolean isOwn(Service s) {
        return s.getMetadata().getLabels() != null
                && Canaries.MANAGED_BY.equals(s.getMetadata().getLabels().get(Canaries.MANAGED_BY_LABEL));
    }
}
