package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds the simulated cluster serves, as API discovery presents them. The CRUD server stores
 * any kind; kubectl and fabric8's generic client only see what this table lists, and take plural
 * names, scope and short names from it.
 */
public final class ApiDiscovery {

    /** One resource: {@code group} is empty for the core API; {@code subresources} only status and scale. */
    public record Resource(String group, String version, String plural, String kind, boolean namespaced,
            List<String> shortNames, List<String> categories, List<String> subresources) {

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        Resource in(String... categories) {
            return new Resource(group, version, plural, kind, namespaced, shortNames, List.of(categories),
                    subresources);
        }

        Resource with(String... subresources) {
            return new Resource(group, version, plural, kind, namespaced, shortNames, categories,
                    List.of(subresources));
        }
    }

    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    /** As on a real server: a namespace is deleted only by name, never as a collection. */
    private static final List<String> NAMESPACE_VERBS =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    /** Every kind the sandbox and the tests hold; a group's first version is its preferred one. */
    public static final List<Resource> RESOURCES = List.of(
            namespaced("v1", "pods", "Pod", "po").in("all"),
            namespaced("v1", "services", "Service", "svc").in("all"),
            namespaced("v1", "configmaps", "ConfigMap", "cm"),
            namespaced("v1", "secrets", "Secret"),
            cluster("v1", "namespaces", "Namespace", "ns"),
            namespaced("v1", "events", "Event", "ev"),
            namespaced("v1", "serviceaccounts", "ServiceAccount", "sa"),
            namespaced("v1", "endpoints", "Endpoints", "ep"),
            namespaced("apps/v1", "deployments", "Deployment", "deploy").in("all").with("status", "scale"),
            namespaced("apps/v1", "replicasets", "ReplicaSet", "rs").in("all"),
            namespaced("networking.k8s.io/v1", "ingresses", "Ingress", "ing"),
            namespaced("networking.istio.io/v1", "virtualservices", "VirtualService", "vs")
                    .in("istio-io", "networking-istio-io"),
            namespaced("networking.istio.io/v1", "destinationrules", "DestinationRule", "dr")
                    .in("istio-io", "networking-istio-io"),
            namespaced("networking.istio.io/v1beta1", "virtualservices", "VirtualService", "vs")
                    .in("istio-io", "networking-istio-io"),
            namespaced("networking.istio.io/v1beta1", "destinationrules", "DestinationRule", "dr")
                    .in("istio-io", "networking-istio-io"),
            namespaced("gateway.networking.k8s.io/v1", "httproutes", "HTTPRoute").in("gateway-api"),
            namespaced("gateway.networking.k8s.io/v1", "gateways", "Gateway", "gtw").in("gateway-api"),
            namespaced("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", "pdb"),
            namespaced("rbac.authorization.k8s.io/v1", "roles", "Role"),
            namespaced("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding"),
            cluster("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole"),
            cluster("rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding"),
            namespaced("kafka.strimzi.io/v1beta2", "kafkatopics", "KafkaTopic", "kt").in("strimzi"),
            namespaced("kafka.strimzi.io/v1beta2", "kafkausers", "KafkaUser", "ku").in("strimzi"));

    private ApiDiscovery() {
    }

    private static Resource namespaced(String apiVersion, String plural, String kind, String... shortNames) {
        return resource(apiVersion, plural, kind, true, shortNames);
    }

    private static Resource cluster(String apiVersion, String plural, String kind, String... shortNames) {
        return resource(apiVersion, plural, kind, false, shortNames);
    }

    private static Resource resource(String apiVersion, String plural, String kind, boolean namespaced,
            String... shortNames) {
        int slash = apiVersion.indexOf('/');
        return new Resource(slash < 0 ? "" : apiVersion.substring(0, slash), apiVersion.substring(slash + 1),
                plural, kind, namespaced, List.of(shortNames), List.of(), List.of());
    }

    /** {@code GET /api}: the core API's versions. */
    public static APIVersions coreVersions() {
        return new APIVersionsBuilder().withVersions("v1").build();
    }

    /** {@code GET /apis}: every named group with its versions, preferred first. */
    public static APIGroupList groups() {
        return new APIGroupListBuilder().withGroups(RESOURCES.stream().map(Resource::group)
                .filter(g -> !g.isEmpty()).distinct().map(g -> group(g).orElseThrow()).toList()).build();
    }

    /** {@code GET /apis/<group>}; empty for a group the cluster does not serve. */
    public static Optional<APIGroup> group(String name) {
        List<String> versions = RESOURCES.stream().filter(r -> r.group().equals(name)).map(Resource::version)
                .distinct().toList();
        return name.isEmpty() || versions.isEmpty() ? Optional.empty()
                : Optional.of(new APIGroupBuilder().withName(name)
                        .withVersions(versions.stream().map(v -> groupVersion(name, v)).toList())
                        .withPreferredVersion(groupVersion(name, versions.get(0))).build());
    }

    /** {@code GET /api/v1} or {@code /apis/<group>/<version>}; empty for a version the cluster does not serve. */
    public static Optional<APIResourceList> resources(String apiVersion) {
        List<APIResource> served = new ArrayList<>();
        for (Resource r : RESOURCES) {
            if (r.apiVersion().equals(apiVersion)) {
                served.add(new APIResourceBuilder().withName(r.plural())
                        .withSingularName(r.kind().toLowerCase(Locale.ROOT)).withNamespaced(r.namespaced())
                        .withKind(r.kind()).withVerbs(r.plural().equals("namespaces") ? NAMESPACE_VERBS : VERBS)
                        .withShortNames(r.shortNames()).withCategories(r.categories()).build());
                for (String sub : r.subresources()) {
                    served.add(subresource(r, sub));
                }
            }
        }
        return served.isEmpty() ? Optional.empty()
                : Optional.of(new APIResourceListBuilder().withGroupVersion(apiVersion).withResources(served).build());
    }

    /** The scale subresource speaks autoscaling/v1 Scale, which is how kubectl scale finds its kind. */
    private static APIResource subresource(Resource r, String sub) {
        APIResourceBuilder b = new APIResourceBuilder().withName(r.plural() + "/" + sub).withSingularName("")
                .withNamespaced(r.namespaced()).withVerbs(SUBRESOURCE_VERBS);
        return sub.equals("scale") ? b.withGroup("autoscaling").withVersion("v1").withKind("Scale").build()
                : b.withKind(r.kind()).build();
    }

    private static GroupVersionForDiscovery groupVersion(String group, String version) {
        return new GroupVersionForDiscovery(group + "/" + version, version);
    }
}
