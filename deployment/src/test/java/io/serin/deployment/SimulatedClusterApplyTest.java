package io.serin.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.testsupport.SimulatedCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rendered object is accepted by an API server (fabric8's, in CRUD mode) and reads back unchanged. */
class SimulatedClusterApplyTest {

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "deploy/strimzi"})
    void createsEveryObjectAndReadsItBack(String kustomization) {
        Manifests manifests = Manifests.render(kustomization);
        try (SimulatedCluster cluster = SimulatedCluster.start(Duration.ofMillis(50))) {
            KubernetesClient client = cluster.client();
            // what installing Strimzi's operator would have done
            client.resource(strimziDefinition("KafkaTopic", "kafkatopics")).create();
            client.resource(strimziDefinition("KafkaUser", "kafkausers")).create();
            for (HasMetadata object : manifests.all()) {
                client.resource(object).create();
            }
            for (HasMetadata object : manifests.all()) {
                HasMetadata stored = client.resource(object).get();
                assertThat(stored).as("%s %s", object.getKind(), object.getMetadata().getName()).isNotNull();
                assertThat(content(stored)).as("%s %s", object.getKind(), object.getMetadata().getName())
                        .isEqualTo(content(object));
            }
        }
    }

    /** The object without what the server owns (status, uid, resourceVersion, timestamps). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> content(HasMetadata object) {
        Map<String, Object> map = new LinkedHashMap<>(Manifests.SERIALIZATION.convertValue(object, Map.class));
        map.remove("status");
        Map<String, Object> metadata = (Map<String, Object>) map.remove("metadata");
        map.put("name", metadata.get("name"));
        map.put("namespace", metadata.get("namespace"));
        map.put("labels", metadata.get("labels"));
        map.put("annotations", metadata.get("annotations"));
        return map;
    }

    private static CustomResourceDefinition strimziDefinition(String kind, String plural) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + ".kafka.strimzi.io").endMetadata()
                .withNewSpec()
                .withGroup("kafka.strimzi.io")
                .withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT)).endNames()
                .addNewVersion().withName("v1beta2").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}
