package io.serin.notifier.notify;

import java.time.Duration;
import java.util.Optional;

/** How a webhook answered: its status and, when it asked us to slow down, how long to wait. */
public record WebhookAnswer(int status, Optional<Duration> retryAfter) {

    public static WebhookAnswer of(int status) {
        return new WebhookAnswer(status, Optional.empty());
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /** Server trouble and throttling pass; any other refusal would be refused again. */
    public boolean retriable() {
        return status >= 500 || status == 429;
    }
}
