package io.serin.executor.messaging;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Retries what must happen before a command's offset may be committed (publishing its result
 * or its dead letter) until it does, with doubling waits up to a cap. Giving up would leave two
 * bad choices: commit the offset and lose the result, or nack the record and stop the channel,
 * which is what a broker outage used to do. Waiting holds back only the records behind this one,
 * which could not be answered during the outage either; the consumer itself keeps polling.
 */
final class Persistently {

    private static final Logger LOG = Logger.getLogger(Persistently.class);

    /** One try; throws whatever made it fail. */
    interface Attempt {
        void run() throws Exception;
    }

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Runnable onRetry;

    /** @param onRetry told of every failed attempt as it happens, so that an outage shows while it lasts */
    Persistently(Duration firstBackoff, Duration maxBackoff, Runnable onRetry) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.onRetry = onRetry;
    }

    /**
     * Runs {@code attempt} until it succeeds.
     *
     * @throws InterruptedException only when the service stops meanwhile; nothing is committed then
     */
    void run(String what, Attempt attempt) throws InterruptedException {
        long backoff = Math.max(1, firstBackoff.toMillis());
        for (int tries = 1; ; tries++) {
            try {
                attempt.run();
                if (tries > 1) {
                    LOG.infof("%s: done after %d attempts", what, tries);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                onRetry.run();
                LOG.warnf("%s: attempt %d failed (%s); trying again in %d ms", what, tries, describe(e), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, Math.max(1, maxBackoff.toMillis()));
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                + io.serin.events.policy.Redaction.text(cause.getMessage()));
    }
}
