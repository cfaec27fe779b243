package io.serin.executor.messaging;

import io.serin.executor.config.ExecutorConfig;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

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
    public Optional<Set<String>> allowedNamespaces() {
        return Optional.empty();
    }

    @Override
    public String source() {
        return "urn:test:executor";
    }
}
