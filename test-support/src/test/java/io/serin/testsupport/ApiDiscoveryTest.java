package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery table against the server that serves it, through fabric8's discovery-driven generic client. */
class ApiDiscoveryTest {

    private static SimulatedCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void storesAndListsAnObjectOfEveryServedKindUnderItsDiscoveredPlural() {
        List<ApiDiscovery.Resource> resources = ApiDiscovery.RESOURCES;
        for (int i = 0; i < resources.size(); i++) {
            ApiDiscovery.Resource r = resources.get(i);
            String name = "round-trip-" + i;
            GenericKubernetesResource object = new GenericKubernetesResourceBuilder().withApiVersion(r.apiVersion())
                    .withKind(r.kind()).withNewMetadata().withName(name).endMetadata().build();
            // the generic client learns plural and scope from discovery, and fails for a kind it does not list
            MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                    kind = client.genericKubernetesResources(r.apiVersion(), r.kind());
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                    Resource<GenericKubernetesResource>> scoped = r.namespaced() ? kind.inNamespace("round-trip") : kind;
            scoped.resource(object).create();

            assertThat(scoped.list().getItems()).as(r.apiVersion() + " " + r.kind())
                    .extracting(o -> o.getMetadata().getName()).contains(name);
            String path = (r.group().isEmpty() ? "/api/" : "/apis/") + r.apiVersion()
                    + (r.namespaced() ? "/namespaces/round-trip/" : "/") + r.plural() + "/" + name;
            assertThat(client.raw(cluster.url().replaceFirst("/$", "") + path)).as(path).contains(name);
        }
    }

    @Test
    void agreesWithFabric8sModelOnPluralAndScope() {
        int checked = 0;
        for (ApiDiscovery.Resource r : ApiDiscovery.RESOURCES) {
            Object typed = client.getKubernetesSerialization().unmarshal(
                    "{\"apiVersion\":\"" + r.apiVersion() + "\",\"kind\":\"" + r.kind() + "\"}");
            // Istio and Strimzi have no model on this classpath; their CRDs are the reference there
            if (!(typed instanceof GenericKubernetesResource)) {
                Class<? extends HasMetadata> type = ((HasMetadata) typed).getClass();
                assertThat(r.plural()).as(r.kind()).isEqualTo(HasMetadata.getPlural(type));
                assertThat(r.namespaced()).as(r.kind()).isEqualTo(Namespaced.class.isAssignableFrom(type));
                checked++;
            }
        }
        assertThat(checked).as("kinds checked against a model class").isGreaterThanOrEqualTo(18);
    }

    @Test
    void namesEveryKindByItsUsualShortName() {
        Map<String, List<String>> shortNames = ApiDiscovery.RESOURCES.stream().collect(Collectors.toMap(
                ApiDiscovery.Resource::plural, ApiDiscovery.Resource::shortNames, (a, b) -> a));
        assertThat(shortNames).contains(Map.entry("deployments", List.of("deploy")),
                Map.entry("services", List.of("svc")), Map.entry("virtualservices", List.of("vs")),
                Map.entry("destinationrules", List.of("dr")), Map.entry("ingresses", List.of("ing")),
                Map.entry("pods", List.of("po")), Map.entry("configmaps", List.of("cm")),
                Map.entry("namespaces", List.of("ns")), Map.entry("serviceaccounts", List.of("sa")),
                Map.entry("endpoints", List.of("ep")), Map.entry("poddisruptionbudgets", List.of("pdb")),
                Map.entry("replicasets", List.of("rs")), Map.entry("kafkatopics", List.of("kt")));
    }

    @Test
    void servesTheDeploymentScaleSubresourceAsAnAutoscalingScale() {
        Map<String, APIResource> apps = client.getApiResources("apps/v1").getResources().stream()
                .collect(Collectors.toMap(APIResource::getName, Function.identity()));
        assertThat(apps.get("deployments/scale")).satisfies(scale -> {
            assertThat(scale.getGroup()).isEqualTo("autoscaling");
            assertThat(scale.getVersion()).isEqualTo("v1");
            assertThat(scale.getKind()).isEqualTo("Scale");
            assertThat(scale.getVerbs()).containsExactlyInAnyOrder("get", "patch", "update");
        });
        assertThat(apps.get("deployments/status").getKind()).isEqualTo("Deployment");
        assertThat(apps.get("deployments").getSingularName()).isEqualTo("deployment");
    }

    @Test
    void prefersTheFirstListedVersionOfAGroup() {
        APIGroup istio = client.getApiGroup("networking.istio.io");
        assertThat(istio.getPreferredVersion().getGroupVersion()).isEqualTo("networking.istio.io/v1");
        assertThat(istio.getVersions()).extracting(GroupVersionForDiscovery::getVersion)
                .containsExactly("v1", "v1beta1");
        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName)
                .contains("apps", "networking.k8s.io", "gateway.networking.k8s.io", "policy",
                        "rbac.authorization.k8s.io", "kafka.strimzi.io");
    }

    @Test
    void answersAGroupVersionItDoesNotServeWithNotFound() {
        assertThat(client.getApiResources("example.com/v1")).isNull();
        assertThat(client.getApiResources("apps/v2")).isNull();
    }
}
