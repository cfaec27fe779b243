package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
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
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Gateway API: the rules of an HTTPRoute whose only backend is the stable Service get the canary
 * Service as a weighted second backend (and the baseline Service as a third); header routes are
 * rules named {@code serin-header-<n>} with the n-th managed rule's matches plus the header (more
 * header matches take precedence), path routes rules named {@code serin-path-<prefix>-<n>} with
 * them narrowed to the prefix (a longer prefix takes precedence); mirroring is a RequestMirror
 * filter. Nothing else in the HTTPRoute changes.
 */
final class GatewayApiRoutes implements RouteReconciler {

    private static final String REQUEST_MIRROR = "RequestMirror";

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final GatewayRequestRules requestRules;
    private final TrafficRouting.GatewayApi config;
    private final String namespace;
    private final String stable;
    private final String canary;
    private final String baseline;

    GatewayApiRoutes(KubernetesClient client, KubeCalls calls, TrafficRouting.GatewayApi config, WorkloadRef target) {
        if (config.httpRoute() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "gatewayApi routing needs httpRoute");
        }
        this.client = client;
        this.calls = calls;
        this.patches = new Patches(client, calls);
        this.requestRules = new GatewayRequestRules(client.getKubernetesSerialization());
        this.config = config;
        this.namespace = target.namespace();
        this.stable = Canaries.stableServiceName(target);
        this.canary = Canaries.canaryServiceName(target);
        this.baseline = Canaries.baselineServiceName(target);
    }

    @Override
    public String describe() {
        return "HTTPRoute " + namespace + "/" + config.httpRoute();
    }

    @Override
    public boolean routesByService() {
        return true;
    }

    @Override
    public boolean splitsThreeWays() {
        return true;
    }

    @Override
    public void prepare(boolean withBaseline) {
        // the canary and baseline Services are all it needs, and RoutedRouter makes those
    }

    private Resource<HTTPRoute> route() {
        return client.resources(HTTPRoute.class).inNamespace(namespace).withName(config.httpRoute());
    }

    @Override
    public void setWeight(int weight, boolean withBaseline) {
        editRules("set canary weight " + weight + "%" + (withBaseline ? " and baseline weight " + weight + "%" : ""),
                rules -> {
                    for (HTTPRouteRule r : managed(rules)) {
                        HTTPBackendRef stableRef = stableRef(r);
                        stableRef.setWeight(100 - (withBaseline ? 2 : 1) * weight);
                        weigh(r, stableRef, canary, weight);
                        if (withBaseline) {
                            weigh(r, stableRef, baseline, weight);
                        } else {
                            r.getBackendRefs().removeIf(b -> isBackend(b, baseline));
                        }
                    }
                });
    }

    /** Gives the backend {@code service} of rule {@code r} its weight, added on stable's port if missing. */
    private void weigh(HTTPRouteRule r, HTTPBackendRef stableRef, String service, int weight) {
        HTTPBackendRef ref = r.getBackendRefs().stream().filter(b -> isBackend(b, service)).findFirst().orElse(null);
        if (ref == null) {
            ref = new HTTPBackendRef();
            ref.setName(service);
            ref.setPort(port(stableRef));
            r.getBackendRefs().add(ref);
        }
        ref.setWeight(weight);
    }

    @Override
    public void setHeaderRoute(RouteMatch match) {
        editRules("route " + match + " to the canary", rules -> {
            List<HTTPRouteRule> managed = managed(rules);
            boolean any = false;
            for (int n = 0; n < managed.size(); n++) {
                HTTPRouteRule r = managed.get(n);
                String name = GatewayRequestRules.name(match, n);
                List<HTTPRouteMatch> matches = requestRules.matches(r.getMatches(), match);
                int existing = indexOf(rules, name);
                if (matches.isEmpty()) {
                    if (existing >= 0) {
                        rules.remove(existing);
                    }
                    continue;
                }
                any = true;
                HTTPRouteRule segment = new HTTPRouteRule();
                segment.setName(name);
                segment.setMatches(matches);
                HTTPBackendRef canaryRef = new HTTPBackendRef();
                canaryRef.setName(canary);
                canaryRef.setPort(port(stableRef(r)));
                segment.setBackendRefs(new ArrayList<>(List.of(canaryRef)));
                if (existing >= 0) {
                    rules.set(existing, segment);
                } else {
                    rules.add(positionOf(rules, r), segment);
                }
            }
            if (!any) {
                throw new ExecutionFailure(FailureReason.INVALID, describe() + ": no managed rule serves paths under "
                        + match.pathPrefix() + ", so no request could be routed there by path");
            }
        });
    }

    @Override
    public void setMirrorRoute(int percent) {
        editRules("mirror " + percent + "% to the canary", rules -> {
            for (HTTPRouteRule r : managed(rules)) {
                List<HTTPRouteFilter> filters = r.getFilters() == null ? new ArrayList<>()
                        : new ArrayList<>(r.getFilters());
                filters.removeIf(this::mirrorsToCanary);
                BackendObjectReference ref = new BackendObjectReference();
                ref.setName(canary);
                ref.setPort(port(stableRef(r)));
                HTTPRequestMirrorFilter mirror = new HTTPRequestMirrorFilter();
                mirror.setBackendRef(ref);
                mirror.setPercent(percent);
                HTTPRouteFilter filter = new HTTPRouteFilter();
                filter.setType(REQUEST_MIRROR);
                filter.setRequestMirror(mirror);
                filters.add(filter);
                r.setFilters(filters);
            }
        });
    }

    @Override
    public void removeManagedRoutes() {
        editRules("send all traffic to stable", rules -> {
            rules.removeIf(r -> GatewayRequestRules.isOurs(r.getName()));
            for (HTTPRouteRule r : managed(rules)) {
                r.getBackendRefs().removeIf(b -> isCanary(b) || isBackend(b, baseline));
                stableRef(r).setWeight(null);
                if (r.getFilters() != null) {
                    List<HTTPRouteFilter> filters = new ArrayList<>(r.getFilters());
                    filters.removeIf(this::mirrorsToCanary);
                    r.setFilters(filters.isEmpty() ? null : filters);
                }
            }
        });
    }

    @Override
    public int verifiedWeight() {
        HTTPRoute route = calls.call("read " + describe(), () -> route().get());
        if (route == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, describe() + " not found");
        }
        List<Integer> weights = managed(route.getSpec().getRules() == null ? List.of() : route.getSpec().getRules())
                .stream().map(r -> r.getBackendRefs().stream().filter(this::isCanary).findFirst()
                        .map(b -> b.getWeight() == null ? 1 : b.getWeight()).orElse(0))
                .distinct().toList();
        if (weights.size() != 1) {
            throw new ExecutionFailure(FailureReason.INTERNAL, describe() + " gives the canary different weights "
                    + weights + " in its managed rules");
        }
        return weights.get(0);
    }

    private void editRules(String what, Consumer<List<HTTPRouteRule>> change) {
        patches.edit(what + " in " + describe(), route(), route -> {
            List<HTTPRouteRule> rules = new ArrayList<>(route.getSpec().getRules() == null ? List.of()
                    : route.getSpec().getRules());
            change.accept(rules);
            route.getSpec().setRules(rules);
            return route;
        });
    }

    /** Rules whose backends are the stable Service alone, or it and the canary (and baseline) Service. */
    private List<HTTPRouteRule> managed(List<HTTPRouteRule> rules) {
        List<HTTPRouteRule> managed = new ArrayList<>();
        for (HTTPRouteRule r : rules) {
            if (GatewayRequestRules.isOurs(r.getName()) || r.getBackendRefs() == null) {
                continue;
            }
            long stables = r.getBackendRefs().stream().filter(this::isStable).count();
            boolean onlyOurs = r.getBackendRefs().stream()
                    .allMatch(b -> isStable(b) || isCanary(b) || isBackend(b, baseline));
            if (stables == 1 && onlyOurs) {
                r.setBackendRefs(new ArrayList<>(r.getBackendRefs()));
                managed.add(r);
            }
        }
        if (managed.isEmpty()) {
            throw new ExecutionFailure(FailureReason.INVALID, describe() + " has no rule whose only backend is "
                    + "Service " + stable);
        }
        return managed;
    }

    private boolean isBackend(HTTPBackendRef b, String service) {
        return isService(b.getGroup(), b.getKind(), b.getNamespace()) && service.equals(b.getName());
    }

    private boolean isStable(HTTPBackendRef b) {
        return isBackend(b, stable);
    }

    private boolean isCanary(HTTPBackendRef b) {
        return isBackend(b, canary);
    }

    private boolean mirrorsToCanary(HTTPRouteFilter f) {
        if (!REQUEST_MIRROR.equals(f.getType()) || f.getRequestMirror() == null
                || f.getRequestMirror().getBackendRef() == null) {
            return false;
        }
        BackendObjectReference b = f.getRequestMirror().getBackendRef();
        return isService(b.getGroup(), b.getKind(), b.getNamespace()) && canary.equals(b.getName());
    }

    private boolean isService(String group, String kind, String ns) {
        return (group == null || group.isEmpty()) && (kind == null || "Service".equals(kind))
                && (ns == null || namespace.equals(ns));
    }

    private Integer port(HTTPBackendRef stableRef) {
        return config.port() != null ? config.port() : stableRef.getPort();
    }

    private HTTPBackendRef stableRef(HTTPRouteRule r) {
        return r.getBackendRefs().stream().filter(this::isStable).findFirst().orElseThrow();
    }

    private static int positionOf(List<HTTPRouteRule> rules, HTTPRouteRule rule) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == rule) {
                return i;
            }
        }
        throw new IllegalStateException("rule not in its list");
    }

    private static int indexOf(List<HTTPRouteRule> rules, String name) {
        for (int i = 0; i < rules.size(); i++) {
            if (Objects.equals(name, rules.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }
}
