package io.serin.notifier.notify;

/**
 * Whether this instance still owns the source of a delivery (its partition). A lane checks it just
 * before the write-ahead record: once the partition has moved, the new owner delivers the event,
 * and posting it here as well could double it.
 */
@FunctionalInterface
public interface Lease {

    /** For sources nobody else can take over (tests, tools). */
    Lease PERPETUAL = () -> true;

    boolean held();
}
