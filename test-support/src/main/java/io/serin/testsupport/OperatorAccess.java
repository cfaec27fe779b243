package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Points a planner under test ({@link OperatorAccessResource}, or a planner process given
 * {@link #config()}) at a {@link LocalTokenIssuer} (authentication) and at a
 * {@link SimulatedCluster} whose RBAC answers its SubjectAccessReviews (authorization): the code path
 * of a real deployment. One of each per JVM. Users in group {@value #ADMINS} may do everything with
 * releases in every namespace; tests bind other users to narrower Roles through {@link #kubernetes()}.
 */
public final class OperatorAccess {

    /** A group bound to every verb on releases.serin.io, cluster-wide. */
    public static final String ADMINS = "serin-admins";
    /** The ClusterRole that grants them. */
    public static final String ADMIN_ROLE = "serin-release-admin";

    private static LocalTokenIssuer issuer;
    private static SimulatedCluster cluster;

    private static synchronized void ensureStarted() {
        if (issuer == null) {
            issuer = LocalTokenIssuer.start("test-password", Duration.ofHours(1));
            cluster = SimulatedCluster.start(Duration.ofMillis(50));
            KubernetesClient client = cluster.client();
            client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(ADMIN_ROLE)
                    .endMetadata().addNewRule().withApiGroups("serin.io").withResources("releases").withVerbs("*")
                    .endRule().build()).create();
            client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName(ADMINS).endMetadata().addNewSubject().withKind("Group").withName(ADMINS).endSubject()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                    .withName(ADMIN_ROLE).endRoleRef().build()).create();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                issuer.close();
            }, "operator-access-stop"));
        }
    }

    private OperatorAccess() {
    }

    /** The planner's configuration: the issuer it trusts and the API server it asks. */
    public static Map<String, String> config() {
        ensureStarted();
        return Map.of(
                "quarkus.oidc.auth-server-url", issuer.url(),
                "quarkus.kubernetes-client.api-server-url", cluster.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "default");
    }

    /** A valid token for {@code user} in {@code groups}. */
    public static String token(String user, String... groups) {
        ensureStarted();
        return issuer.token(user, List.of(groups));
    }

    /** A token of a user in {@value #ADMINS}. */
    public static String admin(String user) {
        return token(user, ADMINS);
    }

    /** The issuer, for tokens that must be refused (wrong audience, expired). */
    public static LocalTokenIssuer issuer() {
        ensureStarted();
        return issuer;
    }

    /** The simulated API server, to bind users to Roles. */
    public static KubernetesClient kubernetes() {
        ensureStarted();
        return cluster.client();
    }
}
