package io.serin.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.serin.events.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/strimzi: the k8s/ base plus a KafkaTopic for every topic and a KafkaUser per service, on a
 * Strimzi cluster's TLS bootstrap, each service authenticated as its own user. What the users' ACLs
 * allow is tested against a real broker (kafka-support's KafkaSecurityIT).
 */
class StrimziOverlayTest {

    private final Manifests overlay = Manifests.render("deploy/strimzi");

    private List<GenericKubernetesResource> topics() {
        return overlay.all("KafkaTopic").stream().map(GenericKubernetesResource.class::cast).toList();
    }

    @Test
    void declaresEveryTopicOfTheContractAndTheNotifierStateAndNoOther() {
        assertThat(topics()).extracting(t -> (String) spec(t).get("topicName"))
                .containsExactlyInAnyOrderElementsOf(Repo.allTopics());
        assertThat(topics()).allSatisfy(t -> {
            assertThat(t.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.getMetadata().getName()).isEqualTo(spec(t).get("topicName"));
        });
    }

    @Test
    void replicatesEveryTopicThreeTimesAndCompactsOnlyTheNotifierState() {
        for (GenericKubernetesResource t : topics()) {
            String name = t.getMetadata().getName();
            assertThat(spec(t).get("replicas")).as(name).isEqualTo(3);
            assertThat((Integer) spec(t).get("partitions")).as(name).isPositive();
            String policy = (String) config(t).get("cleanup.policy");
            if (Repo.notifierStateTopics().contains(name)) {
                assertThat(policy).as(name).isEqualTo("compact,delete");
            } else {
                assertThat(policy).as(name).isEqualTo("delete");
            }
        }
    }

    @Test
    void keepsTheReleaseLogAsAnAuditTrailForOverAYear() {
        GenericKubernetesResource log = topics().stream()
                .filter(t -> t.getMetadata().getName().equals(Topics.RELEASE_EVENTS)).findFirst().orElseThrow();
        assertThat(java.time.Duration.ofMillis(((Number) config(log).get("retention.ms")).longValue()))
                .isGreaterThan(java.time.Duration.ofDays(365));
    }

    @Test
    void givesTheContractTopicsOnePartitionCountForTheirJoins() {
        // the planner reads its admitted topic together with the requests: same partition count
        assertThat(topics().stream().filter(t -> Topics.ALL.contains(t.getMetadata().getName())
                        || Repo.plannerTopics().contains(t.getMetadata().getName()))
                .map(t -> spec(t).get("partitions")).distinct()).hasSize(1);
    }

    @Test
    void pointsTheServicesAtTheBootstrapServiceOfTheClusterItsTopicsBelongTo() {
        Set<String> clusters = Set.copyOf(topics().stream()
                .map(t -> t.getMetadata().getLabels().get("strimzi.io/cluster")).toList());
        assertThat(clusters).hasSize(1).doesNotContainNull();
        assertThat(overlay.configMapData("serin", "serin-kafka", topics().get(0)))
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", clusters.iterator().next() + "-kafka-bootstrap:9093")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        assertThat(overlay.all("KafkaUser")).allSatisfy(u -> assertThat(u.getMetadata().getLabels())
                .containsEntry("strimzi.io/cluster", clusters.iterator().next()));
        assertThat(topics()).allSatisfy(t -> assertThat(t.getMetadata().getNamespace()).isEqualTo("serin"));
    }

    @Test
    void authenticatesEachServiceAsItsOwnKafkaUserOverTheClustersTls() {
        String cluster = (String) topics().get(0).getMetadata().getLabels().get("strimzi.io/cluster");
        List<String> users = overlay.all("KafkaUser").stream().map(u -> u.getMetadata().getName()).toList();
        assertThat(users).contains("serin-requester");
        for (Deployment d : overlay.all(Deployment.class)) {
            Map<String, EnvVar> env = Manifests.container(d).getEnv().stream()
                    .collect(Collectors.toMap(EnvVar::getName, e -> e));
            SecretKeySelector login = env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef();
            // the User Operator names a user's Secret after the user
            assertThat(login.getName()).as(d.getMetadata().getName()).isEqualTo(d.getMetadata().getName()).isIn(users);
            assertThat(login.getKey()).isEqualTo("sasl.jaas.config");
            SecretKeySelector ca = env.get("KAFKA_SSL_TRUSTSTORE_CERTIFICATES").getValueFrom().getSecretKeyRef();
            assertThat(ca.getName()).isEqualTo(cluster + "-cluster-ca-cert");
            assertThat(ca.getKey()).isEqualTo("ca.crt");
            // the kafka. prefix, which every client of the service reads
            assertThat(ServiceConfig.of(Manifests.module(d)).reads("KAFKA_SECURITY_PROTOCOL")).isTrue();
        }
        assertThat(overlay.all("KafkaUser")).allSatisfy(u -> {
            assertThat(spec(u)).extracting(s -> ((Map<?, ?>) s.get("authentication")).get("type"))
                    .isEqualTo("scram-sha-512");
            assertThat(spec(u)).extracting(s -> ((Map<?, ?>) s.get("authorization")).get("type")).isEqualTo("simple");
        });
    }

    @Test
    void changesNothingOfTheBaseButHowTheServicesConnectToKafka() {
        Map<String, Map<String, Object>> base = Manifests.render("k8s").byId();
        Map<String, Map<String, Object>> overlaid = overlay.byId();
        assertThat(overlaid).containsKeys(base.keySet().toArray(String[]::new));
        base.forEach((id, doc) -> {
            if (id.startsWith("apps/Deployment/")) {
                assertThat(withoutKafkaSecrets(overlaid.get(id))).as(id).isEqualTo(doc);
            } else if (!id.equals("/ConfigMap/serin/serin-kafka")) {
                assertThat(overlaid.get(id)).as(id).isEqualTo(doc);
            }
        });
        assertThat(overlaid.keySet()).filteredOn(id -> !base.containsKey(id))
                .allMatch(id -> id.startsWith("kafka.strimzi.io/KafkaTopic/") || id.startsWith("kafka.strimzi.io/KafkaUser/"));
        ConfigMap kafka = overlay.find(ConfigMap.class, "serin", "serin-kafka").orElseThrow();
        assertThat(kafka.getData()).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL",
                "KAFKA_SASL_MECHANISM", "KAFKA_SSL_TRUSTSTORE_TYPE");
    }

    /** A Deployment as the base declares it: without the env the overlay adds from Strimzi's Secrets. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutKafkaSecrets(Map<String, Object> deployment) {
        Map<String, Object> copy = Manifests.SERIALIZATION.unmarshal(Manifests.SERIALIZATION.asJson(deployment), Map.class);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) copy.get("spec"))
                .get("template")).get("spec");
        for (Object c : (List<Object>) pod.get("containers")) {
            Map<String, Object> container = (Map<String, Object>) c;
            List<Object> env = new ArrayList<>((List<Object>) container.get("env"));
            env.removeIf(e -> Set.of("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_CERTIFICATES")
                    .contains(((Map<String, Object>) e).get("name")));
            if (env.isEmpty()) {
                container.remove("env");
            } else {
                container.put("env", env);
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata topic) {
        return (Map<String, Object>) ((GenericKubernetesResource) topic).getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(HasMetadata topic) {
        return (Map<String, Object>) spec(topic).get("config");
    }
}
