package io.serin.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.serin.deployment.Manifests.container;
import static io.serin.deployment.Manifests.module;
import static org.assertj.core.api.Assertions.assertThat;

/** The k8s/ base, rendered in Java, holds to the services it deploys. */
class KubernetesBaseTest {

    private final Manifests base = Manifests.render("k8s");

    private List<Deployment> deployments() {
        return base.all(Deployment.class);
    }

    @Test
    void deploysEveryServiceOnce() {
        assertThat(deployments()).extracting(Manifests::module).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
    }

    @Test
    void probesQuarkusHealthOnTheServicesHttpPort() {
        for (Deployment d : deployments()) {
            Container c = container(d);
            assertThat(c.getPorts()).as(d.getMetadata().getName()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(ServiceConfig.of(module(d)).httpPort());
            });
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe()).forEach(probe -> {
                assertThat(probe.getHttpGet().getPath()).startsWith("/q/health/");
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            });
        }
    }

    @Test
    void requestsAndLimitsCpuAndMemory() {
        for (Deployment d : deployments()) {
            Map<String, Quantity> requests = container(d).getResources().getRequests();
            Map<String, Quantity> limits = container(d).getResources().getLimits();
            for (String resource : List.of("cpu", "memory")) {
                assertThat(requests).as("%s requests", d.getMetadata().getName()).containsKey(resource);
                assertThat(limits).as("%s limits", d.getMetadata().getName()).containsKey(resource);
                assertThat(requests.get(resource).getNumericalAmount())
                        .isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
            }
        }
    }

    @Test
    void runsAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp() {
        for (Deployment d : deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = container(d);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(emptyDirAt(d, "/tmp")).as("%s: emptyDir at /tmp", d.getMetadata().getName()).isTrue();
        }
    }

    @Test
    void keepsKafkaStreamsStateInAnEmptyDirAndReplicatesItsTopicsThreeTimes() {
        List<Deployment> streamsApps = deployments().stream()
                .filter(d -> ServiceConfig.of(module(d)).hasProperty("kafka-streams.state.dir")).toList();
        assertThat(streamsApps).extracting(Manifests::module)
                .containsExactlyInAnyOrder("planner-service", "analyzer-service");
        for (Deployment d : streamsApps) {
            Map<String, String> env = base.environment(d);
            assertThat(env).containsEntry("SERIN_KAFKA_REPLICATION_FACTOR", "3");
            String stateDir = env.get("KAFKA_STREAMS_STATE_DIR");
            assertThat(stateDir).as(d.getMetadata().getName()).isNotNull().doesNotStartWith("/tmp");
            assertThat(emptyDirAt(d, stateDir)).as("%s: emptyDir at %s", d.getMetadata().getName(), stateDir).isTrue();
        }
        Deployment notifier = deployment("serin-notifier");
        assertThat(base.environment(notifier)).containsEntry("SERIN_NOTIFIER_STATE_REPLICATION_FACTOR", "3");
    }

    @Test
    void configuresOnlyVariablesTheServiceReads() {
        for (Deployment d : deployments()) {
            ServiceConfig config = ServiceConfig.of(module(d));
            assertThat(base.environment(d).keySet()).as("variables of %s", d.getMetadata().getName())
                    .allMatch(config::reads, "read by " + module(d))
                    .contains("KAFKA_BOOTSTRAP_SERVERS");
        }
    }

    @Test
    void refersOnlyToConfigMapsAndSecretsThatExist() {
        for (Deployment d : deployments()) {
            base.environment(d); // fails on a missing ConfigMap, Secret or key
            for (Volume v : Optional.ofNullable(d.getSpec().getTemplate().getSpec().getVolumes()).orElse(List.of())) {
                if (v.getConfigMap() != null) {
                    base.configMapData(d.getMetadata().getNamespace(), v.getConfigMap().getName(), d);
                }
                if (v.getSecret() != null) {
                    base.secretData(d.getMetadata().getNamespace(), v.getSecret().getSecretName(), d);
                }
            }
        }
    }

    @Test
    void holdsOnlyMarkedPlaceholdersInSecrets() {
        assertThat(base.all(Secret.class)).isNotEmpty().allSatisfy(s ->
                assertThat(base.secretData(s.getMetadata().getNamespace(), s.getMetadata().getName(), s).values())
                        .as("a real credential must not be committed: %s", s.getMetadata().getName())
                        .allMatch(v -> v.contains("REPLACE-ME")));
    }

    @Test
    void givesEveryServiceItsOwnAccountAndATokenOnlyToThoseThatCallTheKubernetesApi() {
        assertThat(deployments()).filteredOn(d -> ServiceConfig.of(module(d)).callsKubernetesApi())
                .extracting(Manifests::module).containsExactlyInAnyOrder("planner-service", "executor-service");
        for (Deployment d : deployments()) {
            String name = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            ServiceAccount account = base.find(ServiceAccount.class, d.getMetadata().getNamespace(), name)
                    .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + ": no ServiceAccount " + name));
            assertThat(name).isEqualTo(d.getMetadata().getName());
            Boolean podToken = d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken();
            if (ServiceConfig.of(module(d)).callsKubernetesApi()) {
                assertThat(Optional.ofNullable(podToken).orElse(true)).as(name).isTrue();
                assertThat(Optional.ofNullable(account.getAutomountServiceAccountToken()).orElse(true)).as(name).isTrue();
            } else {
                assertThat(account.getAutomountServiceAccountToken()).as(name).isFalse();
                assertThat(podToken).as(name).isFalse();
            }
        }
    }

    @Test
    void bindsTheExecutorPerNamespaceAndThePlannerOnlyToItsAccessReviews() {
        List<Subject> bound = Stream.concat(
                base.all(RoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()),
                base.all(ClusterRoleBinding.class).stream().flatMap(b -> b.getSubjects().stream())).toList();
        assertThat(bound).allSatisfy(s -> assertThat(s.getKind()).isEqualTo("ServiceAccount"));
        // the executor: only in namespaces, never cluster-wide
        assertThat(base.all(RoleBinding.class)).isNotEmpty().allSatisfy(b -> {
            assertThat(b.getRoleRef().getName()).isEqualTo("serin-executor");
            assertThat(b.getSubjects()).extracting(s -> s.getNamespace() + "/" + s.getName())
                    .containsExactly("serin/serin-executor");
        });
        // the planner: one ClusterRoleBinding, to its access-review role; teams' bindings are not in the base
        assertThat(base.all(ClusterRoleBinding.class)).singleElement().satisfies(b -> {
            assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
            assertThat(b.getRoleRef().getName()).isEqualTo("serin-planner-authorizer");
            assertThat(b.getSubjects()).extracting(s -> s.getNamespace() + "/" + s.getName())
                    .containsExactly("serin/serin-planner");
        });
    }

    @Test
    void letsThePlannerCreateSubjectAccessReviewsAndNothingElse() {
        ClusterRole role = base.find(ClusterRole.class, "", "serin-planner-authorizer")
                .or(() -> base.all(ClusterRole.class).stream()
                        .filter(r -> r.getMetadata().getName().equals("serin-planner-authorizer")).findFirst())
                .orElseThrow(() -> new AssertionError("no ClusterRole serin-planner-authorizer"));
        assertThat(role.getAggregationRule()).isNull();
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("authorization.k8s.io");
            assertThat(rule.getResources()).containsExactly("subjectaccessreviews");
            assertThat(rule.getVerbs()).containsExactly("create");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    @Test
    void bindsTheExecutorInExactlyTheNamespacesThePolicyOpens() {
        Map<String, String> policy = base.environment(deployment("serin-executor"));
        List<String> open = Arrays.stream(policy.get("SERIN_POLICY_NAMESPACES").split(",")).map(String::trim).toList();
        assertThat(open).as("the base opens namespaces by name, so each has its RoleBinding")
                .noneMatch(n -> n.contains("*"));
        assertThat(base.all(RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrderElementsOf(open);
        assertThat(open).doesNotContain(policy.get("SERIN_POLICY_PROTECTED_NAMESPACES").split(","));
    }

    @Test
    void givesThePlannerAndTheExecutorOnePolicy() {
        Map<String, String> planner = policy(deployment("serin-planner"));
        Map<String, String> executor = policy(deployment("serin-executor"));
        assertThat(planner).isEqualTo(executor)
                .containsKeys("SERIN_POLICY_NAMESPACES", "SERIN_POLICY_REGISTRIES")
                .containsEntry("SERIN_POLICY_PROTECTED_NAMESPACES", "serin");
        assertThat(planner.values()).allSatisfy(v -> assertThat(v).isNotBlank());
        assertThat(Stream.of("analyzer", "notifier").map(n -> policy(deployment("serin-" + n)))).allSatisfy(
                p -> assertThat(p).isEmpty());
    }

    @Test
    void configuresThePlannersIssuerAndItsPeersForTwoReplicas() {
        Deployment planner = deployment("serin-planner");
        Map<String, String> env = base.environment(planner);
        assertThat(env.get("QUARKUS_OIDC_AUTH_SERVER_URL")).startsWith("https://");
        assertThat(env).containsEntry("QUARKUS_OIDC_TOKEN_AUDIENCE", "serin")
                .containsEntry("SERIN_PLANNER_ADVERTISED_HOST", "<status.podIP>")
                .containsEntry("SERIN_PLANNER_PEERS_HOST", "<status.podIP>")
                .doesNotContainKey("SERIN_PLANNER_PEERS_PORT");
        EnvVar token = container(planner).getEnv().stream().filter(e -> e.getName().equals("SERIN_PLANNER_PEERS_TOKEN"))
                .findFirst().orElseThrow();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("serin-planner-peers");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
        assertThat(planner.getSpec().getReplicas()).isGreaterThan(1);
        assertThat(container(planner).getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("peers");
            assertThat(p.getContainerPort()).isEqualTo(plannerPeersPort());
        });
        // the operator creates the token's Secret: k8s/README.md says how
        assertThat(Repo.read(Repo.path("k8s/README.md")))
                .contains("kubectl -n serin create secret generic serin-planner-peers --from-literal=token=");
    }

    @Test
    void letsOnlyPlannerPodsReachThePeerPortAndThemOnlyThat() {
        int peers = plannerPeersPort();
        NetworkPolicy policy = base.find(NetworkPolicy.class, "serin", "serin-planner").orElseThrow();
        Map<String, String> plannerPods = Map.of("app.kubernetes.io/name", "serin-planner");
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            boolean fromPlanners = rule.getFrom().stream().anyMatch(p -> p.getNamespaceSelector() == null
                    && p.getPodSelector() != null && plannerPods.equals(p.getPodSelector().getMatchLabels()));
            List<Integer> ports = rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList();
            if (fromPlanners) {
                assertThat(rule.getFrom()).hasSize(1);
                assertThat(ports).containsExactly(peers);
            } else {
                assertThat(ports).doesNotContain(peers);
            }
        }
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .extracting(p -> p.getPort().getIntVal()).containsExactly(peers));
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            if (rule.getTo() != null && rule.getTo().stream().anyMatch(p -> p.getPodSelector() != null
                    && plannerPods.equals(p.getPodSelector().getMatchLabels()))) {
                assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(peers);
            }
        }
    }

    @Test
    void probesAndScrapesWithoutATokenWhereTheApiNeedsOne() {
        for (Deployment d : deployments()) {
            ServiceConfig config = ServiceConfig.of(module(d));
            Container c = container(d);
            Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe()).forEach(probe ->
                    assertThat(config.requiresAuthentication(probe.getHttpGet().getPath()))
                            .as("%s %s", d.getMetadata().getName(), probe.getHttpGet().getPath()).isFalse());
            String metrics = d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path");
            assertThat(config.requiresAuthentication(metrics)).as(metrics).isFalse();
        }
        assertThat(ServiceConfig.of("planner-service").requiresAuthentication("/releases")).isTrue();
    }

    @Test
    void offersTeamsAViewerAndAnOperatorRoleOnReleases() {
        Map<String, ClusterRole> roles = base.all(ClusterRole.class).stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
        assertThat(verbsOnReleases(roles.get("serin-release-viewer"))).containsExactlyInAnyOrder("get", "list");
        assertThat(verbsOnReleases(roles.get("serin-release-operator")))
                .containsExactlyInAnyOrderElementsOf(plannerVerbs());
        // the example a platform team applies binds one of them to a group, in a namespace Serin may deploy to
        List<HasMetadata> example = Repo.readYamlDocuments(Repo.path("k8s/examples/release-access.yaml")).stream()
                .map(doc -> (HasMetadata) Manifests.SERIALIZATION.unmarshal(Manifests.SERIALIZATION.asJson(doc)))
                .toList();
        String open = base.environment(deployment("serin-planner")).get("SERIN_POLICY_NAMESPACES");
        assertThat(example).isNotEmpty().allSatisfy(o -> {
            RoleBinding b = (RoleBinding) o;
            assertThat(roles).containsKey(b.getRoleRef().getName());
            assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
            assertThat(b.getSubjects()).allSatisfy(s -> assertThat(s.getKind()).isEqualTo("Group"));
            assertThat(open.split(",")).contains(b.getMetadata().getNamespace());
        });
    }

    @Test
    void mentionsOnlyVariablesAServiceReads() throws java.io.IOException {
        java.util.regex.Pattern variable = java.util.regex.Pattern.compile("\\b(?:SERIN|QUARKUS|KAFKA)_[A-Z0-9_]*[A-Z0-9]\\b");
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(Repo.path("k8s"))) {
            files = walk.filter(java.nio.file.Files::isRegularFile).toList();
        }
        List<String> unread = new java.util.ArrayList<>();
        for (java.nio.file.Path file : files) {
            java.util.regex.Matcher m = variable.matcher(Repo.read(file));
            while (m.find()) {
                String name = m.group();
                if (Repo.SERVICES.stream().noneMatch(s -> ServiceConfig.of(s).reads(name))) {
                    unread.add(Repo.ROOT.relativize(file) + ": " + name);
                }
            }
        }
        assertThat(unread).as("variables, in manifests or their comments, that no service reads").isEmpty();
    }

    private Map<String, String> policy(Deployment d) {
        Map<String, String> policy = new java.util.TreeMap<>(base.environment(d));
        policy.keySet().removeIf(k -> !k.startsWith("SERIN_POLICY_"));
        return policy;
    }

    private static List<String> verbsOnReleases(ClusterRole role) {
        assertThat(role).isNotNull();
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getApiGroups()).containsExactly("serin.io");
            assertThat(r.getResources()).containsExactly("releases");
        });
        return role.getRules().get(0).getVerbs();
    }

    /** The verbs the planner asks about, as ReleaseAuthorizer lists them ("Verbs: {@code create}, ..."). */
    private static List<String> plannerVerbs() {
        String source = Repo.read(Repo.path("planner-service/src/main/java/io/serin/planner/api/ReleaseAuthorizer.java"));
        String sentence = source.substring(source.indexOf("Verbs:"), source.indexOf(". ", source.indexOf("Verbs:")));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{@code (\\w+)}").matcher(sentence);
        List<String> verbs = new java.util.ArrayList<>();
        while (m.find()) {
            verbs.add(m.group(1));
        }
        assertThat(verbs).contains("create", "get", "list");
        return verbs;
    }

    /** serin.planner.peers.port's default, as PlannerConfig declares it. */
    private static int plannerPeersPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("interface Peers \\{[^}]*?@WithDefault\\(\"(\\d+)\"\\)\\s*int port\\(\\)")
                .matcher(Repo.read(Repo.path("planner-service/src/main/java/io/serin/planner/config/PlannerConfig.java")));
        assertThat(m.find()).as("the default of serin.planner.peers.port in PlannerConfig").isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void selectsExactlyOneDeploymentWithEveryPodDisruptionBudgetAndService() {
        for (PodDisruptionBudget pdb : base.all(PodDisruptionBudget.class)) {
            assertThat(selected(pdb, pdb.getSpec().getSelector().getMatchLabels())).hasSize(1);
        }
        for (Service svc : base.all(Service.class)) {
            List<Deployment> selected = selected(svc, svc.getSpec().getSelector());
            assertThat(selected).hasSize(1);
            assertThat(svc.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
        }
        assertThat(base.all(PodDisruptionBudget.class)).hasSameSizeAs(deployments());
        assertThat(base.all(Service.class)).hasSameSizeAs(deployments());
    }

    @Test
    void runsTheImagesComposeBuilds() {
        Map<String, Object> compose = Repo.map(Repo.readYaml(Repo.path("docker-compose.yml")).get("services"));
        for (Deployment d : deployments()) {
            String component = module(d).replace("-service", "");
            assertThat(container(d).getImage()).isEqualTo(Repo.map(compose.get(component)).get("image"));
        }
    }

    private Deployment deployment(String name) {
        return base.find(Deployment.class, "serin", name).orElseThrow();
    }

    private List<Deployment> selected(HasMetadata selector, Map<String, String> labels) {
        assertThat(labels).as("selector of %s", selector.getMetadata().getName()).isNotEmpty();
        return deployments().stream()
                .filter(d -> d.getMetadata().getNamespace().equals(selector.getMetadata().getNamespace()))
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    private static boolean emptyDirAt(Deployment d, String path) {
        Optional<VolumeMount> mount = container(d).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path)).findFirst();
        return mount.isPresent() && d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals(mount.get().getName()) && v.getEmptyDir() != null);
    }
}
