package io.serin.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** All notifier settings, under {@code serin.notifier}. */
@ConfigMapping(prefix = "serin.notifier")
public interface NotifierConfig {

    Webhook webhook();

    Retry retry();

    interface Webhook {
        /** Where events are posted; absent means notifications are off. May carry a secret token. */
        Optional<URI> url();

        @WithDefault("5s")
        Duration timeout();
    }

    interface Retry {
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }
}
