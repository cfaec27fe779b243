package io.serin.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Everything the planner can be told, under {@code serin.planner}. */
@ConfigMapping(prefix = "serin.planner")
public interface PlannerConfig {

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

    /** The operator API: who may call it how often. */
    Api api();

    interface Api {
        /** Writes (requests and actions) one user may make per minute, sustained. */
        @WithDefault("60")
        int writesPerMinute();

        /** Writes one user may make at once before the per-minute rate applies. */
        @WithDefault("20")
        int writeBurst();
    }

    /** How an authenticated caller is named in the SubjectAccessReviews that decide what it may do. */
    Authorization authorization();

    interface Authorization {
        /**
         * Prefixed to the token's subject to form the Kubernetes user name, as the API server's own
         * {@code --oidc-username-prefix} does (e.g. {@code oidc:}), so Roles written for kubectl apply.
         */
        @WithDefault("")
        Optional<String> usernamePrefix();

        /** Prefixed to each of the token's groups, as {@code --oidc-groups-prefix}. */
        @WithDefault("")
        Optional<String> groupsPrefix();

        /** How long a decision is reused (Kubernetes' webhook authorizer caches for 5 min allowed, 30 s denied). */
        @WithDefault("10s")
        java.time.Duration cacheTtl();
    }

    /** How planner instances read each other's releases (interactive queries), off the public port. */
    Peers peers();

    interface Peers {
        /** The port of the internal endpoint; Kafka Streams advertises it to the other instances. */
        @WithDefault("8082")
        int port();

        /** The interface it listens on: the pod IP in a cluster, loopback by default. */
        @WithDefault("127.0.0.1")
        String host();

        /**
         * The secret peers present (a bearer token, from a Kubernetes Secret shared by the planner's
         * pods). Unset: the endpoint refuses every call, so a single instance needs none.
         */
        Optional<String> token();
    }

    /** CloudEvents {@code source} of everything the planner emits. */
    @WithDefault("urn:serin:planner")
    String source();
}
