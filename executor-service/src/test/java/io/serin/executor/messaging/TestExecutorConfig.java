package io.serin.executor.messaging;

import io.serin.executor.config.ExecutorConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Short publish timeouts and backoffs, so an outage of a few attempts takes milliseconds. */
final class TestExecutorConfig implements ExecutorConfig {
    @Override
    public Duration readyTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration apiDeadline() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration publishTimeout() {
        return Duration.ofMillis(50);
    }

    @Override
    public Duration publishBackoff() {
        return Duration.ofMillis(1);
    }

    @Override
    public Duration publishMaxBackoff() {
        return Duration.ofMillis(5);
    }

    @Override
    public Duration commandMaxAge() {
        return Duration.ofMinutes(15);
    }

    @Override
    public Duration abortDelay() {
        return Duration.ZERO;
    }

    @Override
    public Gates gates() {
        return new Gates() {
            @Override
            public Map<String, NamedGate> named() {
                return Map.of();
            }

            @Override
            public Optional<List<String>> allowedHosts() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> allowedNetworks() {
                return Optional.empty();
            }

            @Override
            public int concurrency() {
                return 4;
            }
        };
    }

    @Override
    public String source() {
        return "urn:test:executor";
    }
}
