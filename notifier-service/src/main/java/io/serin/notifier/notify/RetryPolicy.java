package io.serin.notifier.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How often and how patiently a notification is retried. */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, was " + initialBackoff
                    + " and " + maxBackoff);
        }
    }

    /**
     * The wait after the {@code failedAttempts}-th failure: doubling from the initial backoff, capped,
     * then jittered into its upper half so that many notifiers do not retry in lockstep.
     */
    public Duration backoff(int failedAttempts) {
        long exponential = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
        long capped = Math.min(exponential, maxBackoff.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** A wait the far end asked for, but never longer than we are willing to wait. */
    public Duration capped(Duration requested) {
        return requested.compareTo(maxBackoff) > 0 ? maxBackoff : requested;
    }
}
