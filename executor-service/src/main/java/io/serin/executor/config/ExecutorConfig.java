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

    /**
     * How long one attempt to publish a result (or a dead letter) may take. A failed attempt is
     * tried again, after {@link #publishBackoff()}, until it succeeds: the command's offset is
     * committed only then, and the consumer keeps running meanwhile.
     */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * The wait before the first retry of a publication that failed; it doubles with each failure
     * up to {@link #publishMaxBackoff()}.
     */
    @WithDefault("500ms")
    Duration publishBackoff();

    /** The longest wait between two attempts to publish: how soon after an outage publishing resumes. */
    @WithDefault("10s")
    Duration publishMaxBackoff();

    /**
     * How old a command that moves a release forward may be when it arrives (measured from the
     * CloudEvent {@code time} its planner gave it); an older one is refused as stale, with no effect.
     * Rollbacks are exempt. Keep it at least the longest progress deadline releases use (the
     * planner's default is 15m): the planner waits that long for a command's result and has given
     * up on it afterwards.
     */
    @WithDefault("15m")
    Duration commandMaxAge();

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
