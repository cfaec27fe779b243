package io.serin.executor.k8s;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serin.events.RouteMatch;
import io.serin.executor.execute.PathRoutes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The matches of the Istio routes that send a segment of requests to the canary: those of a
 * managed route, narrowed by a header, a cookie or a path prefix, so the segment never reaches
 * beyond what the managed route itself serves. No API calls.
 */
final class IstioRequestRoutes {

    static final String HEADER_ROUTE_PREFIX = "serin-header-";
    static final String PATH_ROUTE_PREFIX = "serin-path-";

    private final KubernetesSerialization json;

    IstioRequestRoutes(KubernetesSerialization json) {
        this.json = json;
    }

    static boolean isOurs(String routeName) {
        return routeName != null && (routeName.startsWith(HEADER_ROUTE_PREFIX) || routeName.startsWith(PATH_ROUTE_PREFIX));
    }

    /** The name of the route before the n-th managed route. */
    static String name(RouteMatch match, int n) {
        return match.pathPrefix() != null ? PATH_ROUTE_PREFIX + PathRoutes.slug(match.pathPrefix()) + "-" + n
                : HEADER_ROUTE_PREFIX + n;
    }

    /** The managed route's matches narrowed to {@code match}; empty if none of its requests are. */
    List<HTTPMatchRequest> matches(List<HTTPMatchRequest> managed, RouteMatch match) {
        List<HTTPMatchRequest> matches = new ArrayList<>();
        for (HTTPMatchRequest m : managed == null || managed.isEmpty() ? List.of(new HTTPMatchRequest()) : managed) {
            HTTPMatchRequest copy = json.clone(m);
            if (match.pathPrefix() != null) {
                PathRoutes.Overlap overlap = PathRoutes.overlap(kind(copy.getUri()), value(copy.getUri()),
                        match.pathPrefix());
                if (overlap == PathRoutes.Overlap.NONE) {
                    continue;
                }
                if (overlap == PathRoutes.Overlap.NARROW) {
                    copy.setUri(new StringMatch(new StringMatchPrefix(match.pathPrefix())));
                }
            } else {
                Map<String, StringMatch> headers = copy.getHeaders() == null ? new HashMap<>()
                        : new HashMap<>(copy.getHeaders());
                putHeader(headers, match);
                copy.setHeaders(headers);
            }
            matches.add(copy);
        }
        return matches;
    }

    private static void putHeader(Map<String, StringMatch> headers, RouteMatch match) {
        if (match.cookie() != null) {
            headers.put("cookie", new StringMatch(new StringMatchRegex(
                    "^(.*?;\\s*)?(" + Pattern.quote(match.cookie()) + "=always)(;.*)?$")));
        } else if (Boolean.TRUE.equals(match.regex())) {
            headers.put(match.header().toLowerCase(Locale.ROOT), new StringMatch(new StringMatchRegex(match.value())));
        } else {
            headers.put(match.header().toLowerCase(Locale.ROOT), new StringMatch(new StringMatchExact(match.value())));
        }
    }

    private static PathRoutes.PathKind kind(StringMatch uri) {
        if (uri == null || uri.getMatchType() == null) {
            return PathRoutes.PathKind.ANY;
        }
        if (uri.getMatchType() instanceof StringMatchPrefix) {
            return PathRoutes.PathKind.PREFIX;
        }
        return uri.getMatchType() instanceof StringMatchExact ? PathRoutes.PathKind.EXACT : PathRoutes.PathKind.OTHER;
    }

    private static String value(StringMatch uri) {
        if (uri == null || uri.getMatchType() == null) {
            return null;
        }
        if (uri.getMatchType() instanceof StringMatchPrefix p) {
            return p.getPrefix();
        }
        return uri.getMatchType() instanceof StringMatchExact e ? e.getExact() : null;
    }
}
