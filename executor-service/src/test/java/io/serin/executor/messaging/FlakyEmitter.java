package io.serin.executor.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An emitter in front of a broker that is out for the first {@code failures} sends: odd ones fail
 * at once, even ones never answer (a send that hangs until the publish timeout). Every send is
 * kept, in order.
 */
final class FlakyEmitter<T> implements Emitter<T> {

    private final AtomicInteger failuresLeft;
    private final List<T> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    FlakyEmitter(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
    }

    /** Every payload written while the broker was up. */
    List<T> written() {
        return sent;
    }

    int attempts() {
        return attempts.get();
    }

    @Override
    public CompletionStage<Void> send(T payload) {
        int attempt = attempts.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            return attempt % 2 == 1
                    ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException(
                            "Topic not present in metadata after 10000 ms."))
                    : new CompletableFuture<>();
        }
        sent.add(payload);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public <M extends Message<? extends T>> void send(M message) {
        send((T) message.getPayload()).whenComplete((ok, failure) -> {
            if (failure == null) {
                message.ack();
            } else {
                message.nack(failure);
            }
        });
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
