package io.serin.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"serin-planner\" password=\"s3cr3t\";";

    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "serin-kafka-bootstrap:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.type", "PEM",
            "ssl.truststore.password", "changeit",
            // SmallRye's default-kafka-broker map holds more than security: never passed on
            "group.id", "serin-planner",
            "streams.state.dir", "/tmp");

    @Test
    void addsTheDeploymentsBootstrapAndSecuritySettingsToAClientsOwn() {
        Map<String, Object> config = KafkaClients.of(KAFKA).config(Map.of("acks", "all", "client.id", "api"));

        assertThat(config).containsOnly(
                Map.entry("acks", "all"), Map.entry("client.id", "api"),
                Map.entry("bootstrap.servers", "serin-kafka-bootstrap:9093"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", JAAS), Map.entry("ssl.truststore.type", "PEM"),
                Map.entry("ssl.truststore.password", "changeit"));
    }

    @Test
    void refusesAClientThatSetsSecurityOrBootstrapItself() {
        KafkaClients clients = KafkaClients.of(KAFKA);

        assertThatThrownBy(() -> clients.config(Map.of("security.protocol", "PLAINTEXT")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("security.protocol");
        assertThatThrownBy(() -> clients.config(Map.of("bootstrap.servers", "elsewhere:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void neverShowsASecretInItsDescription() {
        String description = KafkaClients.of(KAFKA).toString();

        assertThat(description).contains("SASL_SSL", "SCRAM-SHA-512", "serin-kafka-bootstrap:9093",
                "sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]");
        assertThat(description).doesNotContain("s3cr3t", "changeit", "ScramLoginModule");
    }

    @Test
    void readsTheKafkaPrefixAndItsEnvironmentFormAsSmallRyeDoes() {
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", "localhost:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "kafka.ssl.endpoint.identification.algorithm", "",
                "kafka-streams.security.protocol", "SSL",
                "KAFKA_STREAMS_STATE_DIR", "/tmp",
                "quarkus.kafka-streams.ssl.truststore.location", "/elsewhere");

        KafkaSecurity security = KafkaSecurity.fromConfig(List.copyOf(config.keySet()),
                name -> Optional.ofNullable(config.get(name)));

        assertThat(security.settings()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", JAAS),
                // empty is how Kafka turns host name verification off, so it is kept
                Map.entry("ssl.endpoint.identification.algorithm", ""));
    }

    @Test
    void connectsInPlaintextWithoutSecuritySettings() {
        assertThat(KafkaClients.plaintext("localhost:9092").config(Map.of()))
                .containsOnly(Map.entry("bootstrap.servers", "localhost:9092"));
        assertThat(KafkaSecurity.NONE.protocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void refusesClientsWithoutBootstrapServers() {
        assertThatThrownBy(() -> KafkaClients.of(Map.of("security.protocol", "SSL")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka.bootstrap.servers");
    }
}
