package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.RouteReconciler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NGINX Ingress: a canary Ingress {@code <ingress>-canary} with the stable Ingress's hosts and the
 * paths that lead to the stable Service, pointed at the canary Service and annotated
 * {@code canary}, {@code canary-weight}, {@code canary-by-header(-value|-pattern)} or
 * {@code canary-by-cookie}; path prefixes get plain Ingresses of their own
 * ({@link NginxPathIngresses}). The stable Ingress is only read. NGINX cannot mirror a percentage
 * nor split three ways (no baseline).
 */
final class NginxRoutes implements RouteReconciler {

    static final String PREFIX = "nginx.ingress.kubernetes.io/";
    static final String CANARY = PREFIX + "canary";
    static final String WEIGHT = PREFIX + "canary-weight";
    static final String BY_HEADER = PREFIX + "canary-by-header";
    static final String BY_HEADER_VALUE = PREFIX + "canary-by-header-value";
    static final String BY_HEADER_PATTERN = PREFIX + "canary-by-header-pattern";
    static final String BY_COOKIE = PREFIX + "canary-by-cookie";

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final TrafficRouting.Nginx config;
    private final String namespace;
    private final String stable;
    private final String canary;
    private final String canaryIngress;
    private final String releaseId;
    private final NginxPathIngresses pathIngresses;

    NginxRoutes(KubernetesClient client, KubeCalls calls, TrafficRouting.Nginx config, WorkloadRef target,
            String releaseId) {
        if (config.ingress() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "nginx routing needs ingress");
        }
        this.client = client;
        this.calls = calls;
        this.patches = new Patches(client, calls);
        this.config = config;
        this.namespace = target.namespace();
        this.stable = Canaries.stableServiceName(target);
        this.canary = Canaries.canaryServiceName(target);
        this.canaryIngress = config.ingress() + "-canary";
        this.releaseId = releaseId;
        this.pathIngresses = new NginxPathIngresses(client, calls, patches, namespace, config.ingress(), stable,
                canary);
    }

    @Override
    public String describe() {
        return "canary Ingress " + namespace + "/" + canaryIngress;
    }

    @Override
    public boolean routesByService() {
        return true;
    }

    @Override
    public boolean splitsThreeWays() {
        return false;
    }

    private Resource<Ingress> ingress(String name) {
        return client.network().v1().ingresses().inNamespace(namespace).withName(name);
    }

    /** The canary Ingress, created with weight 0, its spec kept in step with the stable Ingress. */
    @Override
    public void prepare(boolean baseline) {
        IngressSpec spec = canarySpec(mainIngress());
        Ingress existing = calls.call("read " + describe(), () -> ingress(canaryIngress).get());
        if (existing == null) {
            Ingress created = new IngressBuilder()
                    .withNewMetadata().withName(canaryIngress).withNamespace(namespace)
                        .addToLabels(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY)
                        .addToLabels(Canaries.RELEASE_LABEL, releaseId)
                        .addToAnnotations(CANARY, "true").addToAnnotations(WEIGHT, "0")
                    .endMetadata()
                    .withSpec(spec)
                    .build();
            calls.run("create " + describe(), () -> client.network().v1().ingresses().inNamespace(namespace)
                    .resource(created).create());
            return;
        }
        patches.edit("update " + describe(), ingress(canaryIngress), i -> {
            i.getMetadata().getAnnotations().put(CANARY, "true");
            i.setSpec(spec);
            return i;
        });
    }

    private Ingress mainIngress() {
        Ingress main = calls.call("read Ingress " + namespace + "/" + config.ingress(),
                () -> ingress(config.ingress()).get());
        if (main == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "Ingress " + namespace + "/" + config.ingress()
                    + " not found");
        }
        return main;
    }

    private IngressSpec canarySpec(Ingress main) {
        IngressSpec spec = new IngressSpec();
        spec.setIngressClassName(main.getSpec().getIngressClassName());
        List<IngressRule> rules = new ArrayList<>();
        for (IngressRule rule : main.getSpec().getRules() == null ? List.<IngressRule>of() : main.getSpec().getRules()) {
            if (rule.getHttp() == null) {
                continue;
            }
            List<HTTPIngressPath> paths = new ArrayList<>();
            for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                if (leadsToStable(p.getBackend())) {
                    HTTPIngressPath copy = client.getKubernetesSerialization().clone(p);
                    copy.getBackend().getService().setName(canary);
                    paths.add(copy);
                }
            }
            if (!paths.isEmpty()) {
                IngressRule copy = client.getKubernetesSerialization().clone(rule);
                copy.getHttp().setPaths(paths);
                rules.add(copy);
            }
        }
        if (rules.isEmpty()) {
            throw new ExecutionFailure(FailureReason.INVALID, "Ingress " + namespace + "/" + config.ingress()
                    + " has no path to Service " + stable);
        }
        spec.setRules(rules);
        return spec;
    }

    private boolean leadsToStable(IngressBackend b) {
        return b != null && b.getService() != null && stable.equals(b.getService().getName());
    }

    @Override
    public void setWeight(int weight, boolean baseline) {
        if (baseline) {
            throw new ExecutionFailure(FailureReason.INVALID, describe() + " cannot give a baseline a share: NGINX "
                    + "splits between the stable Ingress and one canary Ingress only");
        }
        annotate("set canary weight " + weight + "%", a -> a.put(WEIGHT, Integer.toString(weight)));
    }

    @Override
    public void setHeaderRoute(RouteMatch match) {
        if (match.pathPrefix() != null) {
            pathIngresses.ensure(mainIngress(), match.pathPrefix(), releaseId);
            return;
        }
        annotate("route " + match + " to the canary", a -> {
            a.remove(BY_HEADER);
            a.remove(BY_HEADER_VALUE);
            a.remove(BY_HEADER_PATTERN);
            a.remove(BY_COOKIE);
            if (match.cookie() != null) {
                a.put(BY_COOKIE, match.cookie());
            } else {
                a.put(BY_HEADER, match.header());
                a.put(Boolean.TRUE.equals(match.regex()) ? BY_HEADER_PATTERN : BY_HEADER_VALUE, match.value());
            }
        });
    }

    @Override
    public void setMirrorRoute(int percent) {
        throw new ExecutionFailure(FailureReason.INVALID, "nginx routing cannot mirror a share of traffic: NGINX "
                + "Ingress mirrors all of an Ingress's requests or none; use istio or gatewayApi routing");
    }

    /** Deleting the canary and path Ingresses is what sends everything back to the stable Ingress. */
    @Override
    public void removeManagedRoutes() {
        pathIngresses.removeAll();
        calls.run("delete " + describe(), () -> ingress(canaryIngress).delete());
    }

    @Override
    public int verifiedWeight() {
        Ingress i = calls.call("read " + describe(), () -> ingress(canaryIngress).get());
        if (i == null || i.getMetadata().getAnnotations() == null) {
            return 0;
        }
        try {
            return Integer.parseInt(i.getMetadata().getAnnotations().getOrDefault(WEIGHT, "0"));
        } catch (NumberFormatException e) {
            throw new ExecutionFailure(FailureReason.INVALID, describe() + " has canary-weight '"
                    + i.getMetadata().getAnnotations().get(WEIGHT) + "'");
        }
    }

    private void annotate(String what, java.util.function.Consumer<Map<String, String>> change) {
        patches.edit(what + " in " + describe(), ingress(canaryIngress), i -> {
            Map<String, String> annotations = i.getMetadata().getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(i.getMetadata().getAnnotations());
            change.accept(annotations);
            i.getMetadata().setAnnotations(annotations);
            return i;
        });
    }
}
