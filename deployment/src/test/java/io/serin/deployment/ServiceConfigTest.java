package io.serin.deployment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The yardstick of the other tests: which variables count as read by a service. */
class ServiceConfigTest {

    @Test
    void namesPropertiesAsQuarkusReadsThemFromTheEnvironment() {
        assertThat(ServiceConfig.envName("kafka-streams.state.dir")).isEqualTo("KAFKA_STREAMS_STATE_DIR");
        assertThat(ServiceConfig.envName("serin.kafka.replication-factor")).isEqualTo("SERIN_KAFKA_REPLICATION_FACTOR");
    }

    @Test
    void readsPropertiesReferencedFromApplicationProperties() {
        assertThat(ServiceConfig.of("planner-service").reads("SERIN_KAFKA_REPLICATION_FACTOR")).isTrue();
        assertThat(ServiceConfig.of("executor-service").reads("SERIN_KAFKA_REPLICATION_FACTOR")).isFalse();
    }

    @Test
    void readsPathsOfConfigMappingMembersOnly() {
        ServiceConfig notifier = ServiceConfig.of("notifier-service");
        assertThat(notifier.reads("SERIN_NOTIFIER_STATE_REPLICATION_FACTOR")).isTrue();
        assertThat(notifier.reads("SERIN_NOTIFIER_WEBHOOK_URL")).isTrue();
        assertThat(notifier.reads("SERIN_NOTIFIER_WEBHOK_URL")).isFalse();
        assertThat(notifier.reads("SERIN_EXECUTOR_READY_TIMEOUT")).isFalse();
        assertThat(ServiceConfig.of("executor-service").reads("SERIN_EXECUTOR_READY_TIMEOUT")).isTrue();
    }

    @Test
    void readsConfigPropertyInjections() {
        // the notifier names kafka.bootstrap.servers only in an @ConfigProperty, not in application.properties
        assertThat(ServiceConfig.of("notifier-service").hasProperty("kafka.bootstrap.servers")).isFalse();
        assertThat(ServiceConfig.of("notifier-service").reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
    }

    @Test
    void readsALibrarysVariableOnlyWithThatLibrary() {
        assertThat(ServiceConfig.of("executor-service").reads("KUBECONFIG")).isTrue();
        assertThat(ServiceConfig.of("notifier-service").reads("KUBECONFIG")).isFalse();
    }
}
