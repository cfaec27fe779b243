package io.serin.executor.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, checked: k8s/executor-rbac.yaml grants every API call the executor made across
 * its unit tests (recorded by {@code ApiCallRecorder}, which run before this IT) and nothing else.
 */
class ExecutorRbacIT {

    private static final Path CALLS = Path.of("target", "executor-api-calls.log");
    private static final Path RBAC = Path.of("..", "k8s", "executor-rbac.yaml");

    /** One RBAC permission: API group, resource (with subresource), verb. */
    record Grant(String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }

    private static Set<Grant> used;
    private static Set<Grant> granted;

    @BeforeAll
    static void read() throws IOException {
        assertThat(CALLS).as("the unit tests record the executor's API calls; run them first (mvn verify)")
                .exists();
        used = new TreeSet<>();
        for (String line : Files.readAllLines(CALLS)) {
            if (!line.isBlank()) {
                used.add(grantOf(line));
            }
        }
        granted = new TreeSet<>();
        try (InputStream in = Files.newInputStream(RBAC)) {
            Object parsed = new KubernetesSerialization().unmarshal(in);
            @SuppressWarnings("unchecked")
            List<HasMetadata> objects = parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
            for (HasMetadata o : objects) {
                if (o instanceof ClusterRole role) {
                    for (PolicyRule rule : role.getRules()) {
                        for (String g : rule.getApiGroups()) {
                            for (String r : rule.getResources()) {
                                for (String v : rule.getVerbs()) {
                                    granted.add(new Grant(g, r, v));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** "PATCH /apis/apps/v1/namespaces/ns/deployments/name?x" as the RBAC permission it needs. */
    static Grant grantOf(String line) {
        String[] parts = line.split(" ", 2);
        String method = parts[0];
        String[] pathAndQuery = parts[1].split("\\?", 2);
        String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
        List<String> segments = List.of(pathAndQuery[0].replaceFirst("^/", "").split("/"));
        String group;
        List<String> rest;
        if (segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        }
        if (!rest.isEmpty() && rest.get(0).equals("namespaces") && rest.size() > 2) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean named = rest.size() > 1;
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.contains("watch=true") || query.contains("watch=1") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Grant(group, resource, verb);
    }

    @Test
    void theRoleGrantsEveryCallTheExecutorMakes() {
        assertThat(used).as("recorded calls").isNotEmpty();
        assertThat(granted).as("k8s/executor-rbac.yaml lacks").containsAll(used);
    }

    @Test
    void theRoleGrantsNothingTheExecutorNeverUses() {
        assertThat(used).as("granted by k8s/executor-rbac.yaml but never used").containsAll(granted);
    }

    @Test
    void theRoleUsesNoWildcards() {
        assertThat(granted).noneMatch(g -> g.group().equals("*") || g.resource().contains("*") || g.verb().equals("*"));
    }

    @Test
    void readsTheRbacVerbOfEachKindOfCall() {
        assertThat(grantOf("GET /apis/apps/v1/namespaces/a/deployments?fieldSelector=x&watch=true"))
                .isEqualTo(new Grant("apps", "deployments", "watch"));
        assertThat(grantOf("GET /apis/apps/v1/namespaces/a/deployments?fieldSelector=x"))
                .isEqualTo(new Grant("apps", "deployments", "list"));
        assertThat(grantOf("PUT /apis/apps/v1/namespaces/a/deployments/d/status"))
                .isEqualTo(new Grant("apps", "deployments/status", "update"));
        assertThat(grantOf("DELETE /api/v1/namespaces/a/services/s")).isEqualTo(new Grant("", "services", "delete"));
    }
}
