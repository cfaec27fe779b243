package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serin.events.RouteMatch;
import io.serin.executor.execute.PathRoutes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The matches of the Gateway API rules that send a segment of requests to the canary: those of a
 * managed rule, narrowed by a header, a cookie or a path prefix, so the segment never reaches
 * beyond what the managed rule itself serves. No API calls.
 */
final class GatewayRequestRules {

    static final String HEADER_RULE_PREFIX = "serin-header-";
    static final String PATH_RULE_PREFIX = "serin-path-";

    private final KubernetesSerialization json;

    GatewayRequestRules(KubernetesSerialization json) {
        this.json = json;
    }

    static boolean isOurs(String ruleName) {
        return ruleName != null && (ruleName.startsWith(HEADER_RULE_PREFIX) || ruleName.startsWith(PATH_RULE_PREFIX));
    }

    /** The name of the rule beside the n-th managed rule. */
    static String name(RouteMatch match, int n) {
        return match.pathPrefix() != null ? PATH_RULE_PREFIX + PathRoutes.slug(match.pathPrefix()) + "-" + n
                : HEADER_RULE_PREFIX + n;
    }

    /** The managed rule's matches narrowed to {@code match}; empty if none of its requests are. */
    List<HTTPRouteMatch> matches(List<HTTPRouteMatch> managed, RouteMatch match) {
        List<HTTPRouteMatch> matches = new ArrayList<>();
        for (HTTPRouteMatch m : managed == null || managed.isEmpty() ? List.of(new HTTPRouteMatch()) : managed) {
            HTTPRouteMatch copy = json.clone(m);
            if (match.pathPrefix() != null) {
                HTTPPathMatch path = copy.getPath();
                PathRoutes.Overlap overlap = PathRoutes.overlap(kind(path), path == null ? null : path.getValue(),
                        match.pathPrefix());
                if (overlap == PathRoutes.Overlap.NONE) {
                    continue;
                }
                if (overlap == PathRoutes.Overlap.NARROW) {
                    HTTPPathMatch prefix = new HTTPPathMatch();
                    prefix.setType("PathPrefix");
                    prefix.setValue(match.pathPrefix());
                    copy.setPath(prefix);
                }
            } else {
                List<HTTPHeaderMatch> headers = copy.getHeaders() == null ? new ArrayList<>()
                        : new ArrayList<>(copy.getHeaders());
                headers.add(headerMatch(match));
                copy.setHeaders(headers);
            }
            matches.add(copy);
        }
        return matches;
    }

    private static HTTPHeaderMatch headerMatch(RouteMatch match) {
        HTTPHeaderMatch h = new HTTPHeaderMatch();
        if (match.cookie() != null) {
            h.setName("Cookie");
            h.setType("RegularExpression");
            // gateways (Envoy) match the whole header value, so the cookie may sit anywhere in it
            h.setValue("^(.*;\\s*)?" + Pattern.quote(match.cookie()) + "=always(;.*)?$");
        } else {
            h.setName(match.header());
            h.setType(Boolean.TRUE.equals(match.regex()) ? "RegularExpression" : "Exact");
            h.setValue(match.value());
        }
        return h;
    }

    /** A match without a path matches every path ("PathPrefix /" is the API's default). */
    private static PathRoutes.PathKind kind(HTTPPathMatch path) {
        if (path == null || path.getValue() == null) {
            return PathRoutes.PathKind.ANY;
        }
        String type = path.getType() == null ? "PathPrefix" : path.getType();
        return switch (type) {
            case "PathPrefix" -> PathRoutes.PathKind.PREFIX;
            case "Exact" -> PathRoutes.PathKind.EXACT;
            default -> PathRoutes.PathKind.OTHER;
        };
    }
}
