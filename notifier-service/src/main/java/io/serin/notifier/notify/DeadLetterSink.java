package io.serin.notifier.notify;

/** Parks the record being handled on the dead-letter topic, naming the channel that could not take it. */
@FunctionalInterface
public interface DeadLetterSink {

    /** Returns once the dead letter is durable. */
    void publish(String channel, String reason) throws InterruptedException;
}
