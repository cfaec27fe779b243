package io.serin.events;

import java.time.Duration;

/**
 * An HTTP endpoint asked for a go/no-go: Serin POSTs the release (id, target, version, gate) as JSON;
 * a 2xx answer is "go", anything else, including no answer within {@code timeout} (default 10 s), is
 * "not yet". A gate that says "not yet" is asked again every {@code retryInterval} (default 30 s)
 * until it says go or the step's progress deadline passes, which rolls the release back.
 */
public record Webhook(String url, Duration timeout, Duration retryInterval) {

    public Webhook(String url) {
        this(url, null, null);
    }
}
