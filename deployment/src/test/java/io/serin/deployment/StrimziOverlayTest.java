package io.serin.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.serin.events.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/strimzi: the k8s/ base plus a KafkaTopic for every topic, on a Strimzi cluster's bootstrap. */
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
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", clusters.iterator().next() + "-kafka-bootstrap:9092");
        assertThat(topics()).allSatisfy(t -> assertThat(t.getMetadata().getNamespace()).isEqualTo("serin"));
    }

    @Test
    void changesNothingOfTheBaseButTheBootstrapServers() {
        Map<String, Map<String, Object>> base = Manifests.render("k8s").byId();
        Map<String, Map<String, Object>> overlaid = overlay.byId();
        assertThat(overlaid).containsKeys(base.keySet().toArray(String[]::new));
        base.forEach((id, doc) -> {
            if (!id.equals("/ConfigMap/serin/serin-kafka")) {
                assertThat(overlaid.get(id)).as(id).isEqualTo(doc);
            }
        });
        assertThat(overlaid.keySet()).filteredOn(id -> !base.containsKey(id))
                .allMatch(id -> id.startsWith("kafka.strimzi.io/KafkaTopic/"));
        ConfigMap kafka = overlay.find(ConfigMap.class, "serin", "serin-kafka").orElseThrow();
        assertThat(kafka.getData()).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS");
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
