package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gateway API HTTPRoutes as a gateway applies them: of all rules with a match that fits the request,
 * the one the specification ranks first wins (Exact path, then the longest PathPrefix, then a method,
 * then the most header matches, then the most query matches, then the oldest route, then route name,
 * then rule order). Its Service backendRefs share the requests by weight (default 1; a backend of
 * another kind gets its share answered with 500); a {@code RequestMirror} filter copies
 * {@code percent} (or {@code fraction}, default all) to its Service. Regular expressions must match
 * the whole value, as in Envoy-based gateways.
 */
final class GatewayApiSplit implements Router {

    private static final String REQUEST_MIRROR = "RequestMirror";

    private final String namespace;
    private final List<HTTPRoute> routes;

    private GatewayApiSplit(String namespace, List<HTTPRoute> routes) {
        this.namespace = namespace;
        this.routes = routes.stream().sorted(Comparator.comparing((HTTPRoute r) ->
                        String.valueOf(r.getMetadata().getCreationTimestamp()))
                .thenComparing(r -> r.getMetadata().getName())).toList();
    }

    /** The HTTPRoutes of {@code namespace} with a rule that sends requests to Service {@code app}, if any. */
    static Optional<GatewayApiSplit> find(ClusterView view, String namespace, String app) {
        List<HTTPRoute> routes = view.httpRoutes(namespace).stream().filter(r -> r.getSpec() != null
                && r.getSpec().getRules() != null && r.getSpec().getRules().stream()
                        .anyMatch(rule -> rule.getBackendRefs() != null && rule.getBackendRefs().stream()
                                .anyMatch(b -> app.equals(b.getName()) && isService(b.getGroup(), b.getKind()))))
                .toList();
        return routes.isEmpty() ? Optional.empty() : Optional.of(new GatewayApiSplit(namespace, routes));
    }

    @Override
    public String describe() {
        return "HTTPRoute " + namespace + "/" + String.join(",", routes.stream().map(r -> r.getMetadata().getName())
                .toList());
    }

    @Override
    public List<Flow> route(RequestClass request, double rate) {
        Candidate best = null;
        for (int r = 0; r < routes.size(); r++) {
            List<HTTPRouteRule> rules = routes.get(r).getSpec().getRules();
            for (int i = 0; i < rules.size(); i++) {
                List<HTTPRouteMatch> matches = rules.get(i).getMatches() == null || rules.get(i).getMatches().isEmpty()
                        ? List.of(new HTTPRouteMatch()) : rules.get(i).getMatches();
                for (HTTPRouteMatch m : matches) {
                    if (matches(m, request)) {
                        Candidate c = new Candidate(routes.get(r).getMetadata().getNamespace(), rules.get(i), m, r, i);
                        best = best == null || Candidate.PRECEDENCE.compare(c, best) < 0 ? c : best;
                    }
                }
            }
        }
        return best == null ? List.of() : flows(best.namespace(), best.rule(), rate);
    }

    private static List<Flow> flows(String routeNamespace, HTTPRouteRule rule, double rate) {
        List<Flow> flows = new ArrayList<>();
        List<HTTPRouteFilter> filters = rule.getFilters() == null ? List.of() : rule.getFilters();
        if (filters.stream().anyMatch(f -> "RequestRedirect".equals(f.getType()))) {
            return flows;
        }
        List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
        double total = refs.stream().mapToDouble(GatewayApiSplit::weight).sum();
        for (HTTPBackendRef ref : refs) {
            if (weight(ref) > 0 && isService(ref.getGroup(), ref.getKind())) {
                flows.add(Flow.served(Backend.service(ref.getNamespace() == null ? routeNamespace : ref.getNamespace(),
                        ref.getName()), rate * weight(ref) / total));
            }
        }
        for (HTTPRouteFilter f : filters) {
            HTTPRequestMirrorFilter mirror = f.getRequestMirror();
            if (REQUEST_MIRROR.equals(f.getType()) && mirror != null && mirror.getBackendRef() != null) {
                BackendObjectReference ref = mirror.getBackendRef();
                double share = mirrorShare(mirror);
                if (share > 0 && isService(ref.getGroup(), ref.getKind())) {
                    flows.add(Flow.mirror(Backend.service(ref.getNamespace() == null ? routeNamespace
                            : ref.getNamespace(), ref.getName()), rate * share));
                }
            }
        }
        return flows;
    }

    private static double mirrorShare(HTTPRequestMirrorFilter mirror) {
        if (mirror.getPercent() != null) {
            return Math.max(0, Math.min(100, mirror.getPercent())) / 100.0;
        }
        if (mirror.getFraction() != null && mirror.getFraction().getNumerator() != null) {
            Integer d = mirror.getFraction().getDenominator();
            int denominator = d == null ? 100 : d;
            return denominator <= 0 ? 0 : Math.min(1.0, (double) mirror.getFraction().getNumerator() / denominator);
        }
        return 1;
    }

    private static double weight(HTTPBackendRef ref) {
        return ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
    }

    private static boolean isService(String group, String kind) {
        return (group == null || group.isEmpty()) && (kind == null || "Service".equals(kind));
    }

    private static boolean matches(HTTPRouteMatch m, RequestClass request) {
        if (m.getQueryParams() != null && !m.getQueryParams().isEmpty()) {
            return false;
        }
        if (m.getMethod() != null && !"GET".equals(m.getMethod())) {
            return false;
        }
        if (!pathMatches(m.getPath(), request.path())) {
            return false;
        }
        for (HTTPHeaderMatch h : m.getHeaders() == null ? List.<HTTPHeaderMatch>of() : m.getHeaders()) {
            String value = request.header(h.getName());
            boolean regex = "RegularExpression".equals(h.getType());
            if (value == null || h.getValue() == null
                    || !(regex ? Pattern.compile(h.getValue()).matcher(value).matches() : value.equals(h.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** PathPrefix matches whole segments: {@code /v2} takes {@code /v2} and {@code /v2/x}, not {@code /v2beta}. */
    static boolean pathMatches(HTTPPathMatch path, String requestPath) {
        if (path == null || path.getValue() == null) {
            return true;
        }
        String type = path.getType() == null ? "PathPrefix" : path.getType();
        return switch (type) {
            case "Exact" -> requestPath.equals(path.getValue());
            case "RegularExpression" -> Pattern.compile(path.getValue()).matcher(requestPath).matches();
            default -> segmentPrefix(path.getValue(), requestPath);
        };
    }

    static boolean segmentPrefix(String prefix, String requestPath) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.isEmpty() || requestPath.equals(p) || requestPath.startsWith(p + "/");
    }

    private record Candidate(String namespace, HTTPRouteRule rule, HTTPRouteMatch match, int routeIndex,
            int ruleIndex) {

        static final Comparator<Candidate> PRECEDENCE = Comparator
                .comparing((Candidate c) -> !isExact(c.match()))
                .thenComparing(c -> -prefixLength(c.match()))
                .thenComparing(c -> c.match().getMethod() == null)
                .thenComparing(c -> -(c.match().getHeaders() == null ? 0 : c.match().getHeaders().size()))
                .thenComparingInt(Candidate::routeIndex)
                .thenComparingInt(Candidate::ruleIndex);

        private static boolean isExact(HTTPRouteMatch m) {
            return m.getPath() != null && "Exact".equals(m.getPath().getType());
        }

        private static int prefixLength(HTTPRouteMatch m) {
            HTTPPathMatch p = m.getPath();
            return p == null || p.getValue() == null ? 1 : p.getValue().length();
        }
    }
}
