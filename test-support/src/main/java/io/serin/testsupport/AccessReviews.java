package io.serin.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.serin.testsupport.ClusterDispatcher.JSON;

/**
 * {@code SubjectAccessReview}s answered as Kubernetes' RBAC authorizer answers them, from the Roles,
 * ClusterRoles and their bindings in the store: a request is allowed when some binding in its
 * namespace (RoleBinding) or in the cluster (ClusterRoleBinding) names the user, one of its groups or
 * its service account, and the role it refers to has a rule matching the API group, resource
 * (with subresource), verb and resource name. RBAC only adds permissions: nothing matching means
 * denied. Group {@code system:masters} is allowed everything, as the API server allows it before
 * RBAC. Not simulated: ClusterRole aggregation (aggregationRule), non-resource URLs, other
 * authorizers (Node, webhooks). The CRUD store alone would store the review and answer it without a
 * decision.
 */
final class AccessReviews {

    static final String PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

    private final KubernetesCrudDispatcher store;

    AccessReviews(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    MockResponse handle(RecordedRequest request) {
        JsonNode review;
        try {
            review = JSON.unmarshal(request.getUtf8Body(), JsonNode.class);
        } catch (RuntimeException e) {
            return ClusterDispatcher.failure(400, "BadRequest", "cannot read the request body: " + e.getMessage());
        }
        JsonNode spec = review.path("spec");
        JsonNode attributes = spec.path("resourceAttributes");
        if (spec.path("user").asText().isEmpty() && !spec.path("groups").isArray()) {
            return ClusterDispatcher.failure(422, "Invalid", "SubjectAccessReview is invalid: spec.user: "
                    + "at least one of user or group must be specified");
        }
        if (attributes.isMissingNode()) {
            return ClusterDispatcher.failure(422, "Invalid", "SubjectAccessReview is invalid: spec.resourceAttributes"
                    + " or spec.nonResourceAttributes is required");
        }
        String user = spec.path("user").asText("");
        Set<String> groups = new HashSet<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        String namespace = attributes.path("namespace").asText("");
        // as the API server's privileged-group authorizer, before RBAC: system:masters may do anything
        String reason = groups.contains("system:masters") ? "allowed: group system:masters"
                : allowedBy(user, groups, namespace, attributes);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("allowed", reason != null);
        if (reason != null) {
            status.put("reason", reason);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("apiVersion", "authorization.k8s.io/v1");
        answer.put("kind", "SubjectAccessReview");
        answer.put("metadata", Map.of("creationTimestamp", java.time.Instant.now().toString()));
        answer.put("spec", JSON.unmarshal(JSON.asJson(spec), Map.class));
        answer.put("status", status);
        return ClusterDispatcher.json(201, answer);
    }

    /** The binding that allows the request, in RBAC's words, or null. */
    private String allowedBy(String user, Set<String> groups, String namespace, JsonNode attributes) {
        List<JsonNode> bindings = new ArrayList<>();
        items(RBAC + "/clusterrolebindings").forEach(bindings::add);
        if (!namespace.isEmpty()) {
            items(RBAC + "/namespaces/" + namespace + "/rolebindings").forEach(bindings::add);
        }
        for (JsonNode binding : bindings) {
            if (!names(binding.path("subjects"), user, groups)) {
                continue;
            }
            JsonNode ref = binding.path("roleRef");
            boolean clusterRole = "ClusterRole".equals(ref.path("kind").asText());
            String bindingNamespace = binding.path("metadata").path("namespace").asText("");
            JsonNode role = one(clusterRole ? RBAC + "/clusterroles/" + ref.path("name").asText()
                    : RBAC + "/namespaces/" + bindingNamespace + "/roles/" + ref.path("name").asText());
            if (role != null && rulesAllow(role.path("rules"), attributes)) {
                String kind = bindingNamespace.isEmpty() ? "ClusterRoleBinding" : "RoleBinding";
                return "RBAC: allowed by " + kind + " \"" + binding.path("metadata").path("name").asText()
                        + "\"" + (bindingNamespace.isEmpty() ? "" : " of namespace \"" + bindingNamespace + "\"")
                        + " to " + ref.path("kind").asText() + " \"" + ref.path("name").asText() + "\"";
            }
        }
        return null;
    }

    private static boolean names(JsonNode subjects, String user, Set<String> groups) {
        for (JsonNode subject : subjects) {
            String kind = subject.path("kind").asText();
            String name = subject.path("name").asText();
            boolean match = switch (kind) {
                case "User" -> name.equals(user);
                case "Group" -> groups.contains(name);
                case "ServiceAccount" -> ("system:serviceaccount:" + subject.path("namespace").asText() + ":" + name)
                        .equals(user);
                default -> false;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean rulesAllow(JsonNode rules, JsonNode attributes) {
        String resource = attributes.path("resource").asText("");
        String subresource = attributes.path("subresource").asText("");
        String full = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (JsonNode rule : rules) {
            if (contains(rule.path("apiGroups"), attributes.path("group").asText(""))
                    && contains(rule.path("resources"), full)
                    && contains(rule.path("verbs"), attributes.path("verb").asText(""))
                    && (!rule.path("resourceNames").isArray() || rule.path("resourceNames").isEmpty()
                    || containsExactly(rule.path("resourceNames"), attributes.path("name").asText("")))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode entry : list) {
            if (entry.asText().equals("*") || entry.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** resourceNames are never patterns: '*' there names a resource called '*'. */
    private static boolean containsExactly(JsonNode list, String value) {
        for (JsonNode entry : list) {
            if (entry.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private Iterable<JsonNode> items(String path) {
        JsonNode list = one(path);
        return list == null ? List.of() : list.path("items");
    }

    private JsonNode one(String path) {
        MockResponse response = store.handleGet(path);
        if (response.code() != 200) {
            return null;
        }
        return JSON.unmarshal(response.getBody().readUtf8(), JsonNode.class);
    }
}
