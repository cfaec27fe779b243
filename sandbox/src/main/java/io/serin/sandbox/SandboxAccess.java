package io.serin.sandbox;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Who may do what in the sandbox, set up as in a cluster: the planner verifies bearer tokens of the
 * sandbox's local OIDC issuer and asks the simulated API server's RBAC what each caller may do; the
 * sandbox binds one group to every verb on {@code releases.serin.io} and its tokens are in that
 * group. The namespaces and registries open to releases are the examples' own: nothing else.
 */
final class SandboxAccess {

    /** The group the sandbox's tokens carry. */
    static final String OPERATORS = "serin-operators";
    /** The namespaces of the example apps (and of every documented example request). */
    static final String NAMESPACES = "payments,support";
    /** The registry of the example images. */
    static final String REGISTRIES = "registry.example.com";

    private SandboxAccess() {
    }

    /** The ClusterRole a platform team would write (docs/security.md), bound to {@link #OPERATORS}. */
    static void grant(KubernetesClient client) {
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                .withName("serin-release-operator").endMetadata().addNewRule().withApiGroups("serin.io")
                .withResources("releases").withVerbs("create", "get", "list", "promote", "pause", "resume", "abort",
                        "retry", "retire").endRule().build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("serin-operators").endMetadata().addNewSubject().withKind("Group").withName(OPERATORS)
                .endSubject().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("serin-release-operator").endRoleRef().build()).create();
    }

    /**
     * The planner's configuration on top of {@code base}: the issuer, the API server it asks, the
     * policy, and its peer endpoint on {@code peerPort} with a token of this run.
     */
    static Map<String, String> plannerConfig(Map<String, String> base, String issuerUrl, String apiServerUrl,
            int peerPort) {
        Map<String, String> config = new HashMap<>(base);
        config.put("quarkus.oidc.auth-server-url", issuerUrl);
        config.put("quarkus.kubernetes-client.api-server-url", apiServerUrl);
        config.put("quarkus.kubernetes-client.trust-certs", "true");
        config.put("quarkus.kubernetes-client.namespace", "default");
        config.put("serin.policy.namespaces", NAMESPACES);
        config.put("serin.policy.registries", REGISTRIES);
        config.put("serin.planner.peers.port", Integer.toString(peerPort));
        config.put("serin.planner.peers.token", UUID.randomUUID().toString());
        return Map.copyOf(config);
    }
}
