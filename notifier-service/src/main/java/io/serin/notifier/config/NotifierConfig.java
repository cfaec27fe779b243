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
    }
}
