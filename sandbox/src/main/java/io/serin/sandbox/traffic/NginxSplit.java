package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ingress-nginx: the Ingresses of one class and host make one server, whose longest matching path
 * wins (Exact before Prefix of the same length; Prefix matches whole segments, ImplementationSpecific
 * any string prefix); no path: 404. A canary Ingress ({@code nginx.ingress.kubernetes.io/canary:
 * "true"}) with the same host and path then takes the request by header (the value set, the pattern,
 * or else {@code always}; {@code never} keeps it off), by cookie ({@code always}/{@code never}), then
 * by {@code canary-weight} out of {@code canary-weight-total} (default 100), in that order.
 */
final class NginxSplit implements Router {

    static final String ANNOTATION = "nginx.ingress.kubernetes.io/";
    static final String CANARY = ANNOTATION + "canary";

    private final String namespace;
    private final String ingressClass;
    private final String host;
    private final List<Ingress> ingresses;

    private NginxSplit(String namespace, String ingressClass, String host, List<Ingress> ingresses) {
        this.namespace = namespace;
        this.ingressClass = ingressClass;
        this.host = host;
        this.ingresses = ingresses;
    }

    /** The host and class of the first Ingress of {@code namespace} with a path to Service {@code app}, if any. */
    static Optional<NginxSplit> find(ClusterView view, String namespace, String app) {
        List<Ingress> all = view.ingresses(namespace);
        for (Ingress i : all) {
            if (isCanary(i) || i.getSpec() == null || i.getSpec().getRules() == null) {
                continue;
            }
            for (IngressRule rule : i.getSpec().getRules()) {
                if (paths(rule).stream().anyMatch(p -> app.equals(service(p)))) {
                    String ingressClass = i.getSpec().getIngressClassName();
                    return Optional.of(new NginxSplit(namespace, ingressClass, rule.getHost(), all.stream()
                            .filter(x -> x.getSpec() != null && Objects.equals(ingressClass,
                                    x.getSpec().getIngressClassName())).toList()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "NGINX Ingresses of " + namespace + " for host " + (host == null ? "*" : host);
    }

    @Override
    public List<Flow> route(RequestClass request, double rate) {
        HTTPIngressPath main = bestPath(request.path());
        if (main == null || service(main) == null) {
            return List.of();
        }
        List<Flow> flows = new ArrayList<>();
        Ingress canary = canaryFor(main);
        double share = canary == null ? 0 : canaryShare(canary.getMetadata().getAnnotations(), request);
        if (share < 1) {
            flows.add(Flow.served(Backend.service(namespace, service(main)), rate * (1 - share)));
        }
        if (share > 0) {
            HTTPIngressPath canaryPath = pathIn(canary, main);
            flows.add(Flow.served(Backend.service(namespace, service(canaryPath)), rate * share));
        }
        return flows;
    }

    /** The path of the host's server (or, if no Ingress names the host, the default server) that serves it. */
    private HTTPIngressPath bestPath(String requestPath) {
        boolean hostServer = host != null && ingresses.stream().filter(i -> !isCanary(i))
                .flatMap(i -> rules(i).stream()).anyMatch(r -> host.equals(r.getHost()));
        HTTPIngressPath best = null;
        for (Ingress i : ingresses) {
            if (isCanary(i)) {
                continue;
            }
            for (IngressRule rule : rules(i)) {
                if (!Objects.equals(hostServer ? host : null, rule.getHost())) {
                    continue;
                }
                for (HTTPIngressPath p : paths(rule)) {
                    if (matches(p, requestPath) && (best == null || longer(p, best))) {
                        best = p;
                    }
                }
            }
        }
        return best;
    }

    private static boolean longer(HTTPIngressPath p, HTTPIngressPath than) {
        int a = path(p).length();
        int b = path(than).length();
        return a > b || (a == b && "Exact".equals(p.getPathType()) && !"Exact".equals(than.getPathType()));
    }

    private Ingress canaryFor(HTTPIngressPath main) {
        return ingresses.stream().filter(NginxSplit::isCanary).filter(i -> pathIn(i, main) != null).findFirst()
                .orElse(null);
    }

    /** The canary Ingress's path for the same host and path as {@code main}, or null. */
    private HTTPIngressPath pathIn(Ingress canary, HTTPIngressPath main) {
        for (IngressRule rule : rules(canary)) {
            if (Objects.equals(rule.getHost(), host) || rule.getHost() == null) {
                for (HTTPIngressPath p : paths(rule)) {
                    if (path(p).equals(path(main)) && service(p) != null) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** 1 or 0 when a header or cookie decides, else the weight. */
    static double canaryShare(Map<String, String> annotations, RequestClass request) {
        String byHeader = annotations.get(ANNOTATION + "canary-by-header");
        if (byHeader != null && request.header(byHeader) != null) {
            String value = request.header(byHeader);
            String wanted = annotations.get(ANNOTATION + "canary-by-header-value");
            String pattern = annotations.get(ANNOTATION + "canary-by-header-pattern");
            if (wanted != null && !wanted.isEmpty()) {
                if (value.equals(wanted)) {
                    return 1;
                }
            } else if (pattern != null && !pattern.isEmpty()) {
                if (Pattern.compile(pattern).matcher(value).find()) {
                    return 1;
                }
            } else if ("always".equals(value)) {
                return 1;
            } else if ("never".equals(value)) {
                return 0;
            }
        }
        String byCookie = annotations.get(ANNOTATION + "canary-by-cookie");
        if (byCookie != null && request.cookie(byCookie) != null) {
            if ("always".equals(request.cookie(byCookie))) {
                return 1;
            }
            if ("never".equals(request.cookie(byCookie))) {
                return 0;
            }
        }
        double weight = number(annotations.get(ANNOTATION + "canary-weight"), 0);
        double total = number(annotations.get(ANNOTATION + "canary-weight-total"), 100);
        return total <= 0 ? 0 : Math.max(0, Math.min(1, weight / total));
    }

    private static boolean matches(HTTPIngressPath p, String requestPath) {
        String path = path(p);
        return switch (p.getPathType() == null ? "ImplementationSpecific" : p.getPathType()) {
            case "Exact" -> requestPath.equals(path);
            case "Prefix" -> GatewayApiSplit.segmentPrefix(path, requestPath);
            default -> requestPath.startsWith(path);
        };
    }

    static boolean isCanary(Ingress i) {
        Map<String, String> a = i.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(CANARY));
    }

    private static List<IngressRule> rules(Ingress i) {
        return i.getSpec() == null || i.getSpec().getRules() == null ? List.of() : i.getSpec().getRules();
    }

    private static List<HTTPIngressPath> paths(IngressRule rule) {
        return rule.getHttp() == null || rule.getHttp().getPaths() == null ? List.of() : rule.getHttp().getPaths();
    }

    private static String path(HTTPIngressPath p) {
        return p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath();
    }

    private static String service(HTTPIngressPath p) {
        return p.getBackend() == null || p.getBackend().getService() == null ? null
                : p.getBackend().getService().getName();
    }

    private static double number(String value, double otherwise) {
        try {
            return value == null ? otherwise : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
