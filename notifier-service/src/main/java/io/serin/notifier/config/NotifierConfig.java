package io.serin.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All notifier settings, under {@code serin.notifier}. See docs/notifications.md. */
@ConfigMapping(prefix = "serin.notifier")
public interface NotifierConfig {

    /** Shortcut: one generic CloudEvents webhook, named {@value NotifierProducer#SHORTCUT}, that receives every event. */
    Webhook webhook();

    /** Destinations by name. URLs and secrets belong in a Secret or the environment, never in a request. */
    Map<String, ChannelConfig> channels();

    /** Which events go where, by name; a request's {@code notifications} can add channels on top. */
    Map<String, RouteConfig> routes();

    Retry retry();

    /** Base URL of release dashboards; messages link to {@code <base>/releases/<release id>}. */
    Optional<URI> dashboardUrl();

    State state();

    /**
     * Deliveries one channel may have waiting. When a channel's queue is full (it is down or slow),
     * the notifier stops reading until it has room: memory stays bounded, the log waits in Kafka.
     */
    @WithDefault("1000")
    int queueCapacity();

    /**
     * How long giving up a partition waits for the posts already under way for it to be recorded,
     * so the instance taking it over knows about them. Must stay below max.poll.interval.ms.
     */
    @WithDefault("10s")
    Duration revokeTimeout();

    interface Webhook {
        /** May carry a secret token; never logged. */
        Optional<String> url();

        /** HMAC-SHA256 key for the {@code X-Serin-Signature-256} header. */
        Optional<String> secret();

        /** Default timeout of every channel's requests. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface ChannelConfig {
        /** slack, teams, discord, google-chat or webhook. */
        String type();

        /** The platform's webhook URL; it is the credential, so it is never logged. */
        String url();

        /** For type webhook: HMAC-SHA256 key for the signature header. */
        Optional<String> secret();

        Optional<Duration> timeout();

        /** Whether a release request may name this channel in its {@code notifications}. */
        @WithDefault("true")
        boolean requestable();

        /**
         * repost or skip: what to do with an event that a previous run announced but did not record
         * the answer of (it stopped in between), so it may or may not be in the chat. Only matters for
         * slack, teams and discord: google-chat and webhook channels are re-posted with the same
         * idempotency key (requestId, CloudEvent id) and the far end drops the repeat.
         */
        @WithDefault("repost")
        String ifUncertain();
    }

    interface RouteConfig {
        List<String> channels();

        /** Only releases of workloads in this namespace; absent means any. */
        Optional<String> namespace();

        /** Only releases of this workload (Deployment name); absent means any. */
        Optional<String> app();

        /** info (every step), warn (pauses, inconclusive analyses and worse) or error (failures, rollbacks). */
        @WithDefault("info")
        String minSeverity();
    }

    interface Retry {
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** The notifier's own compacted topics; it creates them at startup when missing. */
    interface State {
        @WithDefault("serin.notifier.deliveries")
        String deliveriesTopic();

        @WithDefault("serin.notifier.releases")
        String releasesTopic();

        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** How long a delivery or release record is kept after its last update. */
        @WithDefault("P14D")
        Duration retention();

        /** How long to wait for the state to be read back before consuming. */
        @WithDefault("60s")
        Duration catchUpTimeout();

        /** How long one write to the state topics may take before it counts as failed and is retried. */
        @WithDefault("10s")
        Duration writeTimeout();

        /** First wait before retrying a failed state write; doubles up to {@link #maxRetryBackoff()}. */
        @WithDefault("100ms")
        Duration retryBackoff();

        @WithDefault("5s")
        Duration maxRetryBackoff();
    }
}
