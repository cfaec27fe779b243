package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.serin.events.FailureReason;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.PathRoutes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * NGINX path routes: the canary annotations cannot select by path, so a path prefix gets a plain
 * Ingress of its own, {@code <ingress>-<prefix>}, with the stable Ingress's class and the hosts
 * (and their TLS) whose paths lead to the stable Service, and one Prefix path to the canary
 * Service; NGINX serves the longest matching path first. Labelled with the stable Ingress's name,
 * so a rollback finds every one without knowing the prefixes.
 */
final class NginxPathIngresses {

    static final String PATH_ROUTE_OF = "serin.io/path-route-of";

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final String namespace;
    private final String ingress;
    private final String stable;
    private final String canary;

    NginxPathIngresses(KubernetesClient client, KubeCalls calls, Patches patches, String namespace, String ingress,
            String stable, String canary) {
        this.client = client;
        this.calls = calls;
        this.patches = patches;
        this.namespace = namespace;
        this.ingress = ingress;
        this.stable = stable;
        this.canary = canary;
    }

    String name(String pathPrefix) {
        return ingress + "-" + PathRoutes.slug(pathPrefix);
    }

    void ensure(Ingress main, String pathPrefix, String releaseId) {
        String name = name(pathPrefix);
        String what = "path Ingress " + namespace + "/" + name;
        IngressSpec spec = spec(main, pathPrefix);
        Ingress existing = calls.call("read " + what, () -> ingress(name).get());
        if (existing == null) {
            Ingress created = new IngressBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY)
                        .addToLabels(Canaries.RELEASE_LABEL, releaseId)
                        .addToLabels(PATH_ROUTE_OF, ingress)
                    .endMetadata()
                    .withSpec(spec)
                    .build();
            calls.run("create " + what, () -> client.network().v1().ingresses().inNamespace(namespace)
                    .resource(created).create());
            return;
        }
        if (!isOurs(existing)) {
            throw new ExecutionFailure(FailureReason.INVALID, what + " exists and is not Serin's (no label "
                    + PATH_ROUTE_OF + "=" + ingress + "); it is left alone");
        }
        patches.edit("update " + what, ingress(name), i -> {
            i.getMetadata().getLabels().put(Canaries.RELEASE_LABEL, releaseId);
            i.setSpec(spec);
            return i;
        });
    }

    /** Every path Ingress of the stable Ingress, whatever its prefix. */
    void removeAll() {
        List<Ingress> ours = calls.call("list the path Ingresses of Ingress " + namespace + "/" + ingress,
                () -> client.network().v1().ingresses().inNamespace(namespace)
                        .withLabel(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY).withLabel(PATH_ROUTE_OF, ingress)
                        .list().getItems());
        for (Ingress i : ours) {
            String name = i.getMetadata().getName();
            calls.run("delete path Ingress " + namespace + "/" + name, () -> ingress(name).delete());
        }
    }

    private IngressSpec spec(Ingress main, String pathPrefix) {
        Map<String, IngressBackend> backendByHost = new LinkedHashMap<>();
        for (IngressRule rule : main.getSpec().getRules() == null ? List.<IngressRule>of() : main.getSpec().getRules()) {
            if (rule.getHttp() == null) {
                continue;
            }
            rule.getHttp().getPaths().stream().map(HTTPIngressPath::getBackend)
                    .filter(b -> b != null && b.getService() != null && stable.equals(b.getService().getName()))
                    .findFirst().ifPresent(b -> backendByHost.putIfAbsent(Objects.toString(rule.getHost(), ""), b));
        }
        if (backendByHost.isEmpty()) {
            throw new ExecutionFailure(FailureReason.INVALID, "Ingress " + namespace + "/" + ingress
                    + " has no path to Service " + stable + ", so no host to route " + pathPrefix + " on");
        }
        List<IngressRule> rules = new ArrayList<>();
        backendByHost.forEach((host, stableBackend) -> {
            IngressBackend backend = client.getKubernetesSerialization().clone(stableBackend);
            backend.getService().setName(canary);
            HTTPIngressPath path = new HTTPIngressPathBuilder().withPath(pathPrefix).withPathType("Prefix")
                    .withBackend(backend).build();
            rules.add(new IngressRuleBuilder().withHost(host.isEmpty() ? null : host).withNewHttp().withPaths(path)
                    .endHttp().build());
        });
        IngressSpec spec = new IngressSpec();
        spec.setIngressClassName(main.getSpec().getIngressClassName());
        spec.setRules(rules);
        List<IngressTLS> tls = main.getSpec().getTls() == null ? List.of() : main.getSpec().getTls().stream()
                .filter(t -> t.getHosts() != null && t.getHosts().stream().anyMatch(backendByHost::containsKey))
                .toList();
        spec.setTls(tls.isEmpty() ? null : tls);
        return spec;
    }

    private boolean isOurs(Ingress i) {
        return i.getMetadata().getLabels() != null && ingress.equals(i.getMetadata().getLabels().get(PATH_ROUTE_OF));
    }

    private Resource<Ingress> ingress(String name) {
        return client.network().v1().ingresses().inNamespace(namespace).withName(name);
    }
}
