package io.serin.executor.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys an operator writes, as the executor reads them; and what it reads when nothing is written. */
class ConfigKeysTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        // Quarkus reads durations such as 30s; plain SmallRye Config needs its converter told
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ExecutorConfig.class).withMapping(PolicyConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void readsNamedGatesBesideTheAllowListsAndTheSharedPolicy() {
        SmallRyeConfig config = config(Map.of(
                "serin.executor.gates.\"smoke-tests\".url", "https://ci.example.com/hook?token=s3cr3t",
                "serin.executor.gates.\"smoke-tests\".timeout", "20s",
                "serin.executor.gates.\"smoke-tests\".headers.Authorization", "Bearer t",
                "serin.executor.gates.approvals.url", "https://approve.example.com/",
                "serin.executor.gates.allowed-hosts", "ci.example.com,*.gates.example.org",
                "serin.executor.gates.allowed-networks", "127.0.0.1/32",
                "serin.policy.namespaces", "payments,team-*",
                "serin.policy.protected-namespaces", "serin",
                "serin.policy.registries", "registry.example.com",
                "serin.policy.digests-only", "true"));

        ExecutorConfig.Gates gates = config.getConfigMapping(ExecutorConfig.class).gates();
        assertThat(gates.named()).containsOnlyKeys("smoke-tests", "approvals");
        assertThat(gates.named().get("smoke-tests").url()).isEqualTo("https://ci.example.com/hook?token=s3cr3t");
        assertThat(gates.named().get("smoke-tests").timeout()).contains(Duration.ofSeconds(20));
        assertThat(gates.named().get("smoke-tests").headers()).containsEntry("Authorization", "Bearer t");
        assertThat(gates.named().get("approvals").timeout()).isEmpty();
        assertThat(gates.allowedHosts()).contains(List.of("ci.example.com", "*.gates.example.org"));
        assertThat(gates.allowedNetworks()).contains(List.of("127.0.0.1/32"));
        assertThat(gates.concurrency()).isEqualTo(8);

        PolicyConfig policy = config.getConfigMapping(PolicyConfig.class);
        assertThat(policy.namespacePolicy().whyNot("team-a")).isEmpty();
        assertThat(policy.namespacePolicy().whyNot("serin")).isPresent();
        assertThat(policy.imagePolicy().whyNot("registry.example.com/a:v1")).get().asString().contains("digest");
    }

    @Test
    void opensNothingWhenNothingIsConfigured() {
        SmallRyeConfig config = config(Map.of());
        ExecutorConfig.Gates gates = config.getConfigMapping(ExecutorConfig.class).gates();
        assertThat(gates.named()).isEmpty();
        assertThat(gates.allowedHosts()).isEqualTo(Optional.empty());
        assertThat(gates.allowedNetworks()).isEqualTo(Optional.empty());
        PolicyConfig policy = config.getConfigMapping(PolicyConfig.class);
        assertThat(policy.digestsOnly()).isFalse();
        assertThat(policy.namespacePolicy().whyNot("payments")).isPresent();
        assertThat(policy.imagePolicy().whyNot("registry.example.com/a:v1")).isPresent();
    }
}
