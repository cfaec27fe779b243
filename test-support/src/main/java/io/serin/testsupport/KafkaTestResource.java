package io.serin.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a Quarkus service under test at the {@link SharedKafka} broker (messaging and Kafka
 * Streams alike) and keeps Dev Services off. The broker outlives the test resource: one per JVM.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String servers = SharedKafka.bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", servers,
                "quarkus.kafka-streams.bootstrap-servers", servers,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // the broker is shared by every test of this JVM and stops with it
    }
}
