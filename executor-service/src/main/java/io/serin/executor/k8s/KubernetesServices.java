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

    public KubernetesServices(KubernetesClient client, Duration apiDeadline) {
        this.client = client;
        this.calls = new KubeCalls(apiDeadline);
        this.patches = new Patches(client, calls);
    }

    private ServiceResource<Service> service(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name);
    }

    @Override
    public void ensureCanaryService(WorkloadRef target, String releaseId) {
        String ns = target.namespace();
        String stableName = Canaries.stableServiceName(target);
        Service stable = calls.call("read Service " + ns + "/" + stableName, () -> service(ns, stableName).get());
        if (stable == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "Service " + ns + "/" + stableName
                    + " (the stable Service, named like the target) not found");
        }
        Map<String, String> selector = new HashMap<>(stable.getSpec().getSelector() == null ? Map.of()
                : stable.getSpec().getSelector());
        selector.put(Canaries.VARIANT_LABEL, Canaries.CANARY);
        // node ports and cluster IPs belong to the stable Service; the canary gets its own
        List<ServicePort> ports = stable.getSpec().getPorts().stream()
                .map(p -> new ServicePortBuilder(p).withNodePort(null).build()).toList();
        String name = Canaries.canaryServiceName(target);
        Service existing = calls.call("read Service " + ns + "/" + name, () -> service(ns, name).get());
        if (existing == null) {
            Service canary = new ServiceBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns)
                        .addToLabels(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY)
                        .addToLabels(Canaries.RELEASE_LABEL, releaseId)
                        .addToAnnotations(Canaries.TARGET_ANNOTATION, target.name())
                    .endMetadata()
                    .withNewSpec().withSelector(selector).withPorts(ports).endSpec()
                    .build();
            calls.run("create Service " + ns + "/" + name, () -> client.services().inNamespace(ns).resource(canary)
                    .create());
            return;
        }
        patches.edit("update Service " + ns + "/" + name, service(ns, name), s -> {
            s.getMetadata().getLabels().put(Canaries.RELEASE_LABEL, releaseId);
            s.getSpec().setSelector(selector);
            s.getSpec().setPorts(ports);
            return s;
        });
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
        String ns = target.namespace();
        String name = Canaries.canaryServiceName(target);
        calls.run("delete Service " + ns + "/" + name, () -> service(ns, name).delete());
    }
}
