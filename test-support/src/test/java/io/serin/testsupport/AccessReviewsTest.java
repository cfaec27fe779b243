package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SubjectAccessReviews through fabric8's client, decided by the Roles and bindings in the store. */
class AccessReviewsTest {

    private static SimulatedCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        client = cluster.client();
        client.rbac().roles().inNamespace("payments").resource(new RoleBuilder().withNewMetadata()
                .withName("releaser").withNamespace("payments").endMetadata()
                .addNewRule().withApiGroups("serin.io").withResources("releases").withVerbs("create", "get")
                .endRule().build()).create();
        client.rbac().roleBindings().inNamespace("payments").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("alice-releases").withNamespace("payments").endMetadata()
                .addNewSubject().withKind("User").withName("alice").endSubject()
                .addNewSubject().withKind("Group").withName("payments-team").endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("releaser")
                .endRoleRef().build()).create();
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("promoter")
                .endMetadata().addNewRule().withApiGroups("serin.io").withResources("releases")
                .withVerbs("promote").withResourceNames("web").endRule().build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("sre-promote").endMetadata()
                .addNewSubject().withKind("Group").withName("sre").endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("promoter").endRoleRef().build()).create();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static SubjectAccessReview review(String user, List<String> groups, String verb, String namespace,
            String name) {
        return client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user).withGroups(groups).withNewResourceAttributes().withGroup("serin.io")
                .withResource("releases").withVerb(verb).withNamespace(namespace).withName(name)
                .endResourceAttributes().endSpec().build());
    }

    @Test
    void aRoleBindingAllowsItsSubjectsTheRoleVerbsInItsNamespaceOnly() {
        SubjectAccessReview allowed = review("alice", List.of(), "create", "payments", "web");
        assertThat(allowed.getStatus().getAllowed()).isTrue();
        assertThat(allowed.getStatus().getReason()).contains("alice-releases");
        assertThat(review("bob", List.of("payments-team"), "get", "payments", "web").getStatus().getAllowed()).isTrue();
        assertThat(review("alice", List.of(), "promote", "payments", "web").getStatus().getAllowed()).isFalse();
        assertThat(review("alice", List.of(), "create", "billing", "web").getStatus().getAllowed()).isFalse();
        assertThat(review("mallory", List.of(), "create", "payments", "web").getStatus().getAllowed()).isFalse();
    }

    @Test
    void aClusterRoleBindingAppliesEverywhereButOnlyToTheNamedResources() {
        assertThat(review("carol", List.of("sre"), "promote", "billing", "web").getStatus().getAllowed()).isTrue();
        assertThat(review("carol", List.of("sre"), "promote", "billing", "api").getStatus().getAllowed()).isFalse();
        assertThat(review("carol", List.of("sre"), "abort", "billing", "web").getStatus().getAllowed()).isFalse();
    }

    @Test
    void systemMastersMayDoAnythingAndResourceNamesAreNotPatterns() {
        assertThat(review("root", List.of("system:masters"), "abort", "billing", "web").getStatus().getAllowed())
                .isTrue();
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("star-name")
                .endMetadata().addNewRule().withApiGroups("serin.io").withResources("releases")
                .withVerbs("retire").withResourceNames("*").endRule().build()).create();
        client.rbac().roleBindings().inNamespace("payments").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("star-name").withNamespace("payments").endMetadata()
                .addNewSubject().withKind("User").withName("sam").endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("star-name").endRoleRef().build()).create();
        // a ClusterRole bound by a RoleBinding applies in that namespace only
        assertThat(review("sam", List.of(), "retire", "payments", "web").getStatus().getAllowed()).isFalse();
        assertThat(review("sam", List.of(), "retire", "payments", "*").getStatus().getAllowed()).isTrue();
        assertThat(review("sam", List.of(), "retire", "billing", "*").getStatus().getAllowed()).isFalse();
    }
}
