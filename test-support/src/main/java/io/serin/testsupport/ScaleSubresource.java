package io.serin.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.serin.testsupport.ClusterDispatcher.JSON;

/**
 * {@code deployments/<name>/scale}, which the CRUD store would answer with the Deployment itself:
 * reads give an autoscaling/v1 Scale, writes change the stored Deployment's {@code spec.replicas}
 * through the store, so watchers (the kubelet simulator among them) see an ordinary update.
 */
final class ScaleSubresource {

    static final Pattern PATH = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments/([^/]+)/scale");

    private final KubernetesCrudDispatcher store;

    ScaleSubresource(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    MockResponse handle(RecordedRequest request, String namespace, String name) {
        String deployment = "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + name;
        if (request.method() == HttpMethod.GET) {
            return scaleOf(store.handleGet(deployment), name);
        }
        if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.PATCH) {
            return ClusterDispatcher.failure(405, "MethodNotAllowed", request.getMethod() + " is not supported on "
                    + "deployments/scale");
        }
        JsonNode body;
        try {
            body = JSON.unmarshal(request.getUtf8Body(), JsonNode.class);
        } catch (RuntimeException e) {
            return ClusterDispatcher.failure(400, "BadRequest", "cannot read the request body: " + e.getMessage());
        }
        JsonNode replicas = requestedReplicas(body);
        if (replicas == null || !replicas.canConvertToInt()) {
            return ClusterDispatcher.failure(422, "Invalid", "Scale \"" + name + "\" is invalid: spec.replicas: "
                    + "Required value");
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        String resourceVersion = body.path("metadata").path("resourceVersion").asText("");
        if (!resourceVersion.isEmpty()) {
            // an update of a Scale read earlier must fail with 409 when the Deployment changed meanwhile
            patch.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        patch.put("spec", Map.of("replicas", replicas.asInt()));
        return scaleOf(store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, deployment,
                Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
                new Buffer().writeUtf8(JSON.asJson(patch)))), name);
    }

    /** From a Scale (PUT), a merge or strategic merge patch, or a JSON patch of {@code /spec/replicas}. */
    private static JsonNode requestedReplicas(JsonNode body) {
        if (body != null && body.isArray()) {
            JsonNode found = null;
            for (JsonNode op : body) {
                if (op.path("path").asText().equals("/spec/replicas")
                        && (op.path("op").asText().equals("replace") || op.path("op").asText().equals("add"))) {
                    found = op.get("value");
                }
            }
            return found;
        }
        return body == null ? null : body.path("spec").get("replicas");
    }

    private static MockResponse scaleOf(MockResponse deploymentResponse, String name) {
        if (deploymentResponse.code() == 404) {
            return ClusterDispatcher.failure(404, "NotFound", "deployments.apps \"" + name + "\" not found");
        }
        if (deploymentResponse.code() / 100 != 2) {
            return deploymentResponse;
        }
        Deployment d = JSON.unmarshal(deploymentResponse.getBody().readUtf8(), Deployment.class);
        Map<String, String> selector = d.getSpec().getSelector() == null ? Map.of()
                : d.getSpec().getSelector().getMatchLabels();
        Scale scale = new ScaleBuilder()
                .withNewMetadata().withName(d.getMetadata().getName()).withNamespace(d.getMetadata().getNamespace())
                    .withUid(d.getMetadata().getUid()).withResourceVersion(d.getMetadata().getResourceVersion())
                    .withCreationTimestamp(d.getMetadata().getCreationTimestamp())
                .endMetadata()
                .withNewSpec().withReplicas(d.getSpec().getReplicas()).endSpec()
                .withNewStatus()
                    .withReplicas(d.getStatus() == null || d.getStatus().getReplicas() == null ? 0
                            : d.getStatus().getReplicas())
                    .withSelector(selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .sorted().collect(Collectors.joining(",")))
                .endStatus()
                .build();
        return ClusterDispatcher.json(200, scale);
    }
}
