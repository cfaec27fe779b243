package io.serin.notifier.notify;

import java.time.Duration;

/** Waits between attempts; tests pass one that records instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
