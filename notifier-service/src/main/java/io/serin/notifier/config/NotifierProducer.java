package io.serin.notifier.config;

import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.notify.MessageFormatter;
import io.serin.notifier.notify.Notifier;
import io.serin.notifier.notify.RetryPolicy;
import io.serin.notifier.notify.Sleeper;
import io.serin.notifier.notify.Webhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Wires the plain notifier classes from configuration. */
@ApplicationScoped
public class NotifierProducer {

    @Produces
    @Singleton
    Notifier notifier(NotifierConfig config) {
        Optional<Webhook> webhook = config.webhook().url()
                .map(url -> new WebhookClient(url, config.webhook().timeout()));
        RetryPolicy retry = new RetryPolicy(config.retry().maxAttempts(), config.retry().initialBackoff(),
                config.retry().maxBackoff());
        return new Notifier(webhook, retry, new MessageFormatter(), Sleeper.REAL);
    }
}
