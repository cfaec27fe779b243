package io.serin.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.Set;

/** Everything the planner can be told, under {@code serin.planner}. */
@ConfigMapping(prefix = "serin.planner")
public interface PlannerConfig {

    /** Namespaces releases may target; unset means any. */
    Optional<Set<String>> allowedNamespaces();

    /**
     * How often due timers (pause ends, progress deadlines, gate retries) are looked for: at most this
     * late, plus the commit. A look is one range read of the timer index, ordered by due time.
     */
    @WithDefault("20ms")
    java.time.Duration timerTick();

    /**
     * How long a finished release stays in the store, answering reads and recognising a repeated
     * request with its id as a duplicate; afterwards it is forgotten (the event log keeps it).
     */
    @WithDefault("P7D")
    java.time.Duration retention();

    /** One active release per target workload. */
    Admission admission();

    /** How requests for a target that already has an active release are handled. */
    interface Admission {
        /**
         * How many releases may wait for a busy target, in arrival order; one more is rejected. 0
         * rejects every request for a busy target.
         */
        @WithDefault("10")
        int queueLimit();
    }

    /** Replication factor of the planner's own topics (its admission queue). */
    @io.smallrye.config.WithName("kafka-replication-factor")
    @WithDefault("${serin.kafka.replication-factor:1}")
    short internalTopicReplicationFactor();

    /**
     * The host other planner instances reach this one at (its pod IP); with the HTTP port it becomes
     * Kafka Streams' {@code application.server}, so any instance answers for every release.
     */
    @WithDefault("localhost")
    String advertisedHost();

    /** CloudEvents {@code source} of everything the planner emits. */
    @WithDefault("urn:serin:planner")
    String source();
}
