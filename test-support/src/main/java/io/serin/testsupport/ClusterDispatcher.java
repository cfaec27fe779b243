package io.serin.testsupport;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD server plus what it lacks for kubectl and for authorization: the version, API discovery from
 * {@link ApiDiscovery}, the Deployment scale subresource, and SubjectAccessReviews decided by RBAC
 * ({@link AccessReviews}). Everything else is the CRUD store's.
 */
final class ClusterDispatcher extends KubernetesCrudDispatcher {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static final Pattern GROUP = Pattern.compile("/apis/([^/]+)");
    private static final Pattern GROUP_VERSION = Pattern.compile("/api/(v1)|/apis/([^/]+/[^/]+)");
    private static final Map<String, String> VERSION = Map.of("major", "1", "minor", "32",
            "gitVersion", "v1.32.0-serin", "platform", "linux/amd64");

    private final ScaleSubresource scale = new ScaleSubresource(this);
    private final AccessReviews accessReviews = new AccessReviews(this);

    ClusterDispatcher() {
        super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().split("\\?", 2)[0];
        if (request.method() == HttpMethod.GET) {
            Optional<MockResponse> discovery = discovery(path);
            if (discovery.isPresent()) {
                return discovery.get();
            }
        }
        if (request.method() == HttpMethod.POST && path.equals(AccessReviews.PATH)) {
            return accessReviews.handle(request);
        }
        Matcher deploymentScale = ScaleSubresource.PATH.matcher(path);
        if (deploymentScale.matches()) {
            return scale.handle(request, deploymentScale.group(1), deploymentScale.group(2));
        }
        MockResponse stored = super.dispatch(request);
        // without a content type, clients that offer protobuf (kubectl describe does) try to decode it as protobuf
        if (stored.getWebSocketListener() == null && stored.header("Content-Type") == null) {
            stored.setHeader("Content-Type", "application/json");
        }
        return stored;
    }

    private static Optional<MockResponse> discovery(String path) {
        return switch (path) {
            case "/version" -> Optional.of(json(200, VERSION));
            case "/api" -> Optional.of(json(200, ApiDiscovery.coreVersions()));
            case "/apis" -> Optional.of(json(200, ApiDiscovery.groups()));
            default -> {
                Matcher group = GROUP.matcher(path);
                Matcher version = GROUP_VERSION.matcher(path);
                if (group.matches()) {
                    yield Optional.of(found(ApiDiscovery.group(group.group(1))));
                }
                yield version.matches()
                        ? Optional.of(found(ApiDiscovery.resources(version.group(1) != null ? version.group(1)
                                : version.group(2))))
                        : Optional.empty();
            }
        };
    }

    /** An unserved group or version must be a 404: that is how clients learn a CRD is not installed. */
    private static MockResponse found(Optional<?> document) {
        return document.<MockResponse>map(d -> json(200, d))
                .orElseGet(() -> failure(404, "NotFound", "the server could not find the requested resource"));
    }

    /** Discovery says {@code application/json}, which tells kubectl it is unaggregated: it then reads each group version. */
    static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(JSON.asJson(body));
    }

    /** A failure in the API server's own shape, so clients print its message. */
    static MockResponse failure(int code, String reason, String message) {
        return json(code, Map.of("kind", "Status", "apiVersion", "v1", "metadata", Map.of(), "status", "Failure",
                "code", code, "reason", reason, "message", message));
    }
}
