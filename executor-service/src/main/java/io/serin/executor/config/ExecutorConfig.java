package io.serin.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Everything the executor can be told, under {@code serin.executor}. */
@ConfigMapping(prefix = "serin.executor")
public interface ExecutorConfig {

    /** How long a workload may take to become ready before the command fails with NOT_READY. */
    @WithDefault("10m")
    Duration readyTimeout();

    /** How long one API call is retried on conflicts and transient errors before failing with TIMEOUT. */
    @WithDefault("30s")
    Duration apiDeadline();

    /** How long publishing a result may take before the command is retried. */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * How long a rolled-back canary keeps its pods after all traffic went back to stable (routed
     * modes): time for requests in flight to finish and for a look at its logs. Zero removes them
     * at once. The wait blocks no other command.
     */
    @WithDefault("0s")
    Duration abortDelay();

    /** Namespaces the executor may change; unset means any the RBAC allows. */
    Optional<Set<String>> allowedNamespaces();

    /** CloudEvents {@code source} of the results. */
    @WithDefault("urn:serin:executor")
    String source();
}
