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

    @Test
    void readsTheSharedPolicyKeysAndNotTheRemovedAllowLists() {
        for (String module : java.util.List.of("planner-service", "executor-service")) {
            ServiceConfig config = ServiceConfig.of(module);
            assertThat(config.reads("SERIN_POLICY_NAMESPACES")).as(module).isTrue();
            assertThat(config.reads("SERIN_POLICY_PROTECTED_NAMESPACES")).as(module).isTrue();
            assertThat(config.reads("SERIN_POLICY_REGISTRIES")).as(module).isTrue();
            assertThat(config.reads("SERIN_POLICY_DIGESTS_ONLY")).as(module).isTrue();
        }
        assertThat(ServiceConfig.of("planner-service").reads("SERIN_PLANNER_ALLOWED_NAMESPACES")).isFalse();
        assertThat(ServiceConfig.of("executor-service").reads("SERIN_EXECUTOR_ALLOWED_NAMESPACES")).isFalse();
        assertThat(ServiceConfig.of("analyzer-service").reads("SERIN_POLICY_NAMESPACES")).isFalse();
    }

    @Test
    void readsAMapsKeysThenTheMembersOfItsValues() {
        ServiceConfig executor = ServiceConfig.of("executor-service");
        // serin.executor.gates."<name>".url: the map sits at the level of gates' own members
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_SMOKE_URL")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_SMOKE_TIMEOUT")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_SMOKE_HEADERS_AUTHORIZATION")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_ALLOWED_HOSTS")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_ALLOWED_NETWORKS")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_CONCURRENCY")).isTrue();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_SMOKE")).isFalse();
        assertThat(executor.reads("SERIN_EXECUTOR_GATES_SMOKE_URI")).isFalse();
        assertThat(executor.reads("SERIN_EXECUTOR_GATE_SMOKE_URL")).isFalse();
    }

    @Test
    void readsThePlannersPeerAndOidcSettings() {
        ServiceConfig planner = ServiceConfig.of("planner-service");
        assertThat(planner.reads("SERIN_PLANNER_PEERS_HOST")).isTrue();
        assertThat(planner.reads("SERIN_PLANNER_PEERS_PORT")).isTrue();
        assertThat(planner.reads("SERIN_PLANNER_PEERS_TOKEN")).isTrue();
        assertThat(planner.reads("SERIN_PLANNER_AUTHORIZATION_GROUPS_PREFIX")).isTrue();
        assertThat(planner.reads("QUARKUS_OIDC_AUTH_SERVER_URL")).isTrue();
        assertThat(planner.reads("QUARKUS_OIDC_TOKEN_AUDIENCE")).isTrue();
        assertThat(ServiceConfig.of("executor-service").reads("QUARKUS_OIDC_AUTH_SERVER_URL")).isFalse();
        assertThat(planner.requiresAuthentication("/releases")).isTrue();
        assertThat(planner.requiresAuthentication("/releases/r-1/promote")).isTrue();
        assertThat(planner.requiresAuthentication("/q/health/ready")).isFalse();
        assertThat(planner.requiresAuthentication("/q/metrics")).isFalse();
    }
}
