package io.serin.notifier.testing;

import io.serin.notifier.notify.DeliveryLog;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Stands for a process killed right after a platform's 2xx: every write goes through except the
 * one recording {@code DELIVERED}, which never returns (until the lane is stopped, as by kill -9).
 */
public final class CrashingDeliveryLog implements DeliveryLog {

    private final DeliveryLog log;
    private final CountDownLatch crashed = new CountDownLatch(1);

    public CrashingDeliveryLog(DeliveryLog log) {
        this.log = log;
    }

    public boolean crashed() {
        return crashed.getCount() == 0;
    }

    @Override
    public Optional<Outcome> outcome(String channel, String eventId) {
        return log.outcome(channel, eventId);
    }

    @Override
    public void record(String channel, String eventId, Outcome outcome) throws InterruptedException {
        if (outcome == Outcome.DELIVERED) {
            crashed.countDown();
            new CountDownLatch(1).await();
        }
        log.record(channel, eventId, outcome);
    }
}
