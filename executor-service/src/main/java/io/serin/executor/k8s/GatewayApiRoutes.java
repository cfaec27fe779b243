package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
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
import java.util.regex.Pattern;

/**
 * Gateway API: the rules of an HTTPRoute whose only backend is the stable Service get the canary
 * Service as a weighted second backend; header routes are rules named {@code serin-header-<n>}
 * with the n-th managed rule's matches plus the header (more header matches take precedence);
 * mirroring is a RequestMirror filter. Nothing else in the HTTPRoute changes.
 */
final class GatewayApiRoutes implements RouteReconciler {

    static final String HEADER_RULE_PREFIX = "serin-header-";
    private static final String REQUEST_MIRROR = "RequestMirror";

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final TrafficRouting.GatewayApi config;
    private final String namespace;
    private final String stable;
    private final String canary;

    GatewayApiRoutes(KubernetesClient client, KubeCalls calls, TrafficRouting.GatewayApi config, WorkloadRef target) {
        if (config.httpRoute() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "gatewayApi routing needs httpRoute");
        }
        this.client = client;
        this.calls = calls;
        this.patches = new Patches(client, calls);
        this.config = config;
        this.namespace = target.namespace();
        this.stable = Canaries.stableServiceName(target);
        this.canary = Canaries.canaryServiceName(target);
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
    public void prepare() {
        // the canary Service is all it needs, and RoutedRouter makes that
    }

    private Resource<HTTPRoute> route() {
        return client.resources(HTTPRoute.class).inNamespace(namespace).withName(config.httpRoute());
    }

    @Override
    public void setWeight(int weight) {
        editRules("set canary weight " + weight + "%", rules -> {
            for (HTTPRouteRule r : managed(rules)) {
                HTTPBackendRef stableRef = stableRef(r);
                stableRef.setWeight(100 - weight);
                HTTPBackendRef canaryRef = r.getBackendRefs().stream().filter(this::isCanary).findFirst().orElse(null);
                if (canaryRef == null) {
                    canaryRef = new HTTPBackendRef();
                    canaryRef.setName(canary);
                    canaryRef.setPort(port(stableRef));
                    r.getBackendRefs().add(canaryRef);
                }
                canaryRef.setWeight(weight);
            }
        });
    }

    @Override
    public void setHeaderRoute(RouteMatch match) {
        editRules("route " + match + " to the canary", rules -> {
            List<HTTPRouteRule> managed = managed(rules);
            for (int n = 0; n < managed.size(); n++) {
                HTTPRouteRule r = managed.get(n);
                HTTPRouteRule header = new HTTPRouteRule();
                header.setName(HEADER_RULE_PREFIX + n);
                List<HTTPRouteMatch> matches = new ArrayList<>();
                for (HTTPRouteMatch m : r.getMatches() == null || r.getMatches().isEmpty()
                        ? List.of(new HTTPRouteMatch()) : r.getMatches()) {
                    HTTPRouteMatch copy = client.getKubernetesSerialization().clone(m);
                    List<HTTPHeaderMatch> headers = copy.getHeaders() == null ? new ArrayList<>()
                            : new ArrayList<>(copy.getHeaders());
                    headers.add(headerMatch(match));
                    copy.setHeaders(headers);
                    matches.add(copy);
                }
                header.setMatches(matches);
                HTTPBackendRef canaryRef = new HTTPBackendRef();
                canaryRef.setName(canary);
                canaryRef.setPort(port(stableRef(r)));
                header.setBackendRefs(new ArrayList<>(List.of(canaryRef)));
                int existing = indexOf(rules, header.getName());
                if (existing >= 0) {
                    rules.set(existing, header);
                } else {
                    rules.add(positionOf(rules, r), header);
                }
            }
        });
    }

    private static HTTPHeaderMatch headerMatch(RouteMatch match) {
        HTTPHeaderMatch h = new HTTPHeaderMatch();
        if (match.cookie() != null) {
            h.setName("Cookie");
            h.setType("RegularExpression");
            h.setValue("(^|;\\s*)" + Pattern.quote(match.cookie()) + "=always(;|$)");
        } else {
            h.setName(match.header());
            h.setType(Boolean.TRUE.equals(match.regex()) ? "RegularExpression" : "Exact");
            h.setValue(match.value());
        }
        return h;
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
            rules.removeIf(r -> r.getName() != null && r.getName().startsWith(HEADER_RULE_PREFIX));
            for (HTTPRouteRule r : managed(rules)) {
                r.getBackendRefs().removeIf(this::isCanary);
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

    /** Rules whose backends are the stable Service alone, or it and the canary Service. */
    private List<HTTPRouteRule> managed(List<HTTPRouteRule> rules) {
        List<HTTPRouteRule> managed = new ArrayList<>();
        for (HTTPRouteRule r : rules) {
            if (r.getName() != null && r.getName().startsWith(HEADER_RULE_PREFIX) || r.getBackendRefs() == null) {
                continue;
            }
            long stables = r.getBackendRefs().stream().filter(this::isStable).count();
            boolean onlyOurs = r.getBackendRefs().stream().allMatch(b -> isStable(b) || isCanary(b));
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

    private boolean isStable(HTTPBackendRef b) {
        return isService(b.getGroup(), b.getKind(), b.getNamespace()) && stable.equals(b.getName());
    }

    private boolean isCanary(HTTPBackendRef b) {
        return isService(b.getGroup(), b.getKind(), b.getNamespace()) && canary.equals(b.getName());
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
