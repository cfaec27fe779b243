package io.serin.notifier.notify;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * Posts one payload to one channel, retrying what may pass on a later attempt (no answer, 5xx, 429
 * after its Retry-After) and giving up at once on what will not (other 4xx).
 */
public final class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class);

    private final RetryPolicy retry;
    private final Sleeper sleeper;

    public Attempts(RetryPolicy retry, Sleeper sleeper) {
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** @param what names the event in logs, e.g. {@code event 9f… of release rel-7} */
    public DeliveryOutcome post(Channel channel, HttpPayload payload, String what) throws InterruptedException {
        String platform = channel.platform().configName();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                WebhookAnswer answer = channel.webhook().post(payload);
                if (answer.successful()) {
                    return DeliveryOutcome.delivered(attempt);
                }
                failure = platform + " answered " + answer.status();
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
            LOG.debugf("channel %s, %s: %s (attempt %d of %d), retrying in %d ms", channel.name(), what, failure,
                    attempt, retry.maxAttempts(), wait.toMillis());
            sleeper.sleep(wait);
        }
    }
}
