package io.serin.analyzer.config;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serin.kafka.KafkaClients;
import io.serin.testsupport.KafkaTestResource;
import jakarta.inject.Inject;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security settings are set once, under the {@code kafka.} prefix, and reach Kafka Streams and the
 * service's own clients ({@link KafkaClients}) alike. The settings here are inert on the test broker's
 * PLAINTEXT connection, so the analyzer still starts against it.
 */
@QuarkusTest
@TestProfile(KafkaSecuritySettingsIT.KafkaPrefixSettings.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class KafkaSecuritySettingsIT {

    private static final Map<String, String> SECURITY = Map.of(
            "security.protocol", "PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "ssl.truststore.type", "PEM");

    public static class KafkaPrefixSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.ssl.truststore.type", "PEM");
        }
    }

    @Inject
    StreamsConfig streams;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void kafkaStreamsAndTheServicesOwnClientsReadTheSameKafkaPrefix() {
        assertThat(streams.originals()).containsAllEntriesOf(SECURITY);
        assertThat(KafkaClients.configured(bootstrapServers).security().settings()).isEqualTo(SECURITY);
    }
}
