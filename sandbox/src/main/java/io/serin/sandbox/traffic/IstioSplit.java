package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Istio VirtualService as the sidecars apply it: the first HTTP route whose match fits the
 * request wins (no match: 404, no flow); its destinations share the requests by weight (one
 * destination takes all); a destination without subset is the whole Service (its replica ratio),
 * with a subset the Service's pods that carry the DestinationRule subset's labels (an unknown
 * subset: 503, no flow). {@code mirror} with {@code mirrorPercentage} (default 100%), or
 * {@code mirrors}, copies requests besides. Regular expressions match the whole value, as Envoy's.
 */
final class IstioSplit implements Router {

    private final String namespace;
    private final String name;
    private final List<Object> http;
    private final List<GenericKubernetesResource> destinationRules;

    IstioSplit(GenericKubernetesResource virtualService, List<GenericKubernetesResource> destinationRules) {
        this.namespace = virtualService.getMetadata().getNamespace();
        this.name = virtualService.getMetadata().getName();
        this.http = Tree.list(Tree.map(virtualService.getAdditionalProperties().get("spec")).get("http"));
        this.destinationRules = destinationRules;
    }

    /** The VirtualService in-mesh clients of Service {@code namespace/app} go through, if there is one. */
    static Optional<IstioSplit> find(ClusterView view, String namespace, String app) {
        for (GenericKubernetesResource vs : view.virtualServices(namespace)) {
            Map<String, Object> spec = Tree.map(vs.getAdditionalProperties().get("spec"));
            List<Object> gateways = Tree.list(spec.get("gateways"));
            if (!gateways.isEmpty() && !gateways.contains("mesh")) {
                continue;
            }
            if (Tree.list(spec.get("hosts")).stream().map(Tree::string).anyMatch(h -> isService(h, namespace, app))) {
                return Optional.of(new IstioSplit(vs, view.destinationRules(namespace)));
            }
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "Istio VirtualService " + namespace + "/" + name;
    }

    @Override
    public List<Flow> route(RequestClass request, double rate) {
        for (Object node : http) {
            Map<String, Object> route = Tree.map(node);
            if (matches(Tree.list(route.get("match")), request)) {
                return flows(route, rate);
            }
        }
        return List.of();
    }

    private List<Flow> flows(Map<String, Object> route, double rate) {
        List<Flow> flows = new ArrayList<>();
        List<Object> destinations = Tree.list(route.get("route"));
        double total = 0;
        for (Object d : destinations) {
            total += weight(d, destinations.size());
        }
        for (Object d : destinations) {
            double w = weight(d, destinations.size());
            Backend backend = backend(Tree.map(Tree.map(d).get("destination")));
            if (w > 0 && total > 0 && backend != null) {
                flows.add(Flow.served(backend, rate * w / total));
            }
        }
        if (!Tree.map(route.get("mirror")).isEmpty()) {
            Double percent = Tree.number(Tree.map(route.get("mirrorPercentage")).get("value"));
            mirror(flows, Tree.map(route.get("mirror")), percent, rate);
        }
        for (Object m : Tree.list(route.get("mirrors"))) {
            mirror(flows, Tree.path(m, "destination"), Tree.number(Tree.path(m, "percentage").get("value")), rate);
        }
        return flows;
    }

    private void mirror(List<Flow> flows, Map<String, Object> destination, Double percent, double rate) {
        Backend backend = backend(destination);
        double share = percent == null ? 1 : Math.max(0, Math.min(100, percent)) / 100;
        if (backend != null && share > 0) {
            flows.add(Flow.mirror(backend, rate * share));
        }
    }

    private static double weight(Object destination, int destinations) {
        Double w = Tree.number(Tree.map(destination).get("weight"));
        return destinations == 1 ? 1 : w == null ? 0 : w;
    }

    private Backend backend(Map<String, Object> destination) {
        String host = Tree.string(destination.get("host"));
        if (host == null) {
            return null;
        }
        String[] parts = host.split("\\.");
        String serviceNamespace = parts.length > 1 ? parts[1] : namespace;
        String service = parts[0];
        String subset = Tree.string(destination.get("subset"));
        if (subset == null) {
            return Backend.service(serviceNamespace, service);
        }
        for (GenericKubernetesResource dr : destinationRules) {
            Map<String, Object> spec = Tree.map(dr.getAdditionalProperties().get("spec"));
            if (!isService(Tree.string(spec.get("host")), serviceNamespace, service)) {
                continue;
            }
            for (Object s : Tree.list(spec.get("subsets"))) {
                if (subset.equals(Tree.string(Tree.map(s).get("name")))) {
                    Map<String, String> labels = new HashMap<>();
                    Tree.map(Tree.map(s).get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
                    return new Backend(serviceNamespace, service, labels);
                }
            }
        }
        return null;
    }

    private static boolean isService(String host, String namespace, String service) {
        String qualified = service + "." + namespace;
        return host != null && (host.equals(service) || host.equals(qualified) || host.equals(qualified + ".svc")
                || host.startsWith(qualified + ".svc."));
    }

    /** No match list matches everything; otherwise any one match, all of whose conditions hold. */
    private static boolean matches(List<Object> matches, RequestClass request) {
        if (matches.isEmpty()) {
            return true;
        }
        for (Object m : matches) {
            if (matchesAll(Tree.map(m), request)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAll(Map<String, Object> match, RequestClass request) {
        boolean ignoreCase = Boolean.TRUE.equals(match.get("ignoreUriCase"));
        for (Map.Entry<String, Object> condition : match.entrySet()) {
            boolean holds = switch (condition.getKey()) {
                case "name", "ignoreUriCase" -> true;
                case "uri" -> matches(Tree.map(condition.getValue()), request.path(), ignoreCase);
                case "method" -> matches(Tree.map(condition.getValue()), "GET", false);
                case "headers" -> Tree.map(condition.getValue()).entrySet().stream()
                        .allMatch(h -> matches(Tree.map(h.getValue()), request.header(h.getKey()), false));
                case "withoutHeaders" -> Tree.map(condition.getValue()).entrySet().stream()
                        .noneMatch(h -> matches(Tree.map(h.getValue()), request.header(h.getKey()), false));
                case "gateways" -> Tree.list(condition.getValue()).contains("mesh");
                // query parameters, ports, source labels …: the synthetic clients send none of these
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** An Istio StringMatch; an empty one only asks that the value be present. */
    private static boolean matches(Map<String, Object> stringMatch, String value, boolean ignoreCase) {
        if (value == null) {
            return false;
        }
        String exact = Tree.string(stringMatch.get("exact"));
        String prefix = Tree.string(stringMatch.get("prefix"));
        String regex = Tree.string(stringMatch.get("regex"));
        if (exact != null) {
            return ignoreCase ? value.equalsIgnoreCase(exact) : value.equals(exact);
        }
        if (prefix != null) {
            return ignoreCase ? value.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))
                    : value.startsWith(prefix);
        }
        if (regex != null) {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
        }
        return true;
    }
}
