package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivers one notification per release event, retrying what may pass on a later attempt (no
 * answer, 5xx, 429) and giving up at once on what will not (other 4xx).
 */
public final class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final Optional<Webhook> webhook;
    private final RetryPolicy retry;
    private final MessageFormatter formatter;
    private final Sleeper sleeper;

    /** @param webhook empty when notifications are switched off */
    public Notifier(Optional<Webhook> webhook, RetryPolicy retry, MessageFormatter formatter, Sleeper sleeper) {
        this.webhook = webhook;
        this.retry = retry;
        this.formatter = formatter;
        this.sleeper = sleeper;
    }

    public DeliveryOutcome deliver(CloudEvent<? extends ReleaseEvent> event) throws InterruptedException {
        if (webhook.isEmpty()) {
            return DeliveryOutcome.skipped("no webhook URL configured");
        }
        Notification notification = new Notification(formatter.format(event.data()), event);
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                WebhookAnswer answer = webhook.get().post(notification);
                if (answer.successful()) {
                    return DeliveryOutcome.delivered(attempt);
                }
                failure = "webhook answered " + answer.status();
                if (!answer.retriable()) {
                    return DeliveryOutcome.undeliverable(attempt, failure);
                }
                wait = answer.retryAfter().isPresent() ? retry.capped(answer.retryAfter().get()) : retry.backoff(attempt);
            } catch (IOException e) {
                failure = e.getMessage();
                wait = retry.backoff(attempt);
            }
            if (attempt >= retry.maxAttempts()) {
                return DeliveryOutcome.undeliverable(attempt, failure);
            }
            LOG.debugf("event %s of release %s: %s (attempt %d of %d), retrying in %d ms", event.id(),
                    event.data().releaseId(), failure, attempt, retry.maxAttempts(), wait.toMillis());
            sleeper.sleep(wait);
        }
    }
}
