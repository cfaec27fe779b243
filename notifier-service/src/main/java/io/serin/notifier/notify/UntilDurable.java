package io.serin.notifier.notify;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Writes an outcome that must not be lost, again and again with capped backoff, until it is
 * durable or the lane stops. Giving up instead would either fail the channel (a broker outage
 * stopping every chat) or forget a post that happened (a second message after a restart).
 */
final class UntilDurable {

    private static final Logger LOG = Logger.getLogger(UntilDurable.class);

    @FunctionalInterface
    interface Write {
        void run() throws InterruptedException;
    }

    private final RetryPolicy backoff;
    private final Sleeper sleeper;

    UntilDurable(Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        this.backoff = new RetryPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff);
        this.sleeper = sleeper;
    }

    /** @param what names the write in logs, e.g. {@code the delivery of event … to payments-slack} */
    void write(String what, Write write) throws InterruptedException {
        for (int failures = 0; ; failures++) {
            try {
                write.run();
                if (failures > 0) {
                    LOG.infof("recorded %s after %d failed attempts", what, failures);
                }
                return;
            } catch (RuntimeException e) {
                if (failures % 20 == 0) {
                    // first and then every twentieth failure (about every 100 s at the default cap): a lane
                    // that stays stuck here, e.g. on a missing topic, must not go quiet
                    LOG.warnf("cannot record %s yet (attempt %d), retrying until it is durable: %s", what,
                            failures + 1, e.getMessage());
                } else {
                    LOG.debugf("cannot record %s yet (attempt %d): %s", what, failures + 1, e.getMessage());
                }
                sleeper.sleep(backoff.backoff(failures + 1));
            }
        }
    }
}
