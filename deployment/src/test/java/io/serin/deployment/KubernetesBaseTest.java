package io.serin.deployment;

import io.fabric8.kubernetes.api.model.Container;
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
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Test;

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
    void givesEveryServiceItsOwnAccountAndOnlyTheExecutorAToken() {
        for (Deployment d : deployments()) {
            String name = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            ServiceAccount account = base.find(ServiceAccount.class, d.getMetadata().getNamespace(), name)
                    .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + ": no ServiceAccount " + name));
            assertThat(name).isEqualTo(d.getMetadata().getName());
            boolean executor = module(d).equals("executor-service");
            Boolean podToken = d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken();
            if (executor) {
                assertThat(Optional.ofNullable(podToken).orElse(true)).isTrue();
            } else {
                assertThat(account.getAutomountServiceAccountToken()).as(name).isFalse();
                assertThat(podToken).as(name).isFalse();
            }
        }
    }

    @Test
    void bindsOnlyTheExecutorsAccountToAnyRole() {
        List<Subject> subjects = Stream.concat(
                base.all(RoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()),
                base.all(ClusterRoleBinding.class).stream().flatMap(b -> b.getSubjects().stream())).toList();
        assertThat(subjects).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getNamespace() + "/" + s.getName()).isEqualTo("serin/serin-executor");
        });
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
