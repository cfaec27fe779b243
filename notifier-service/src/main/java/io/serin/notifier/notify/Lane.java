package io.serin.notifier.notify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One channel's queue and the single thread that works it, first in first out.
 *
 * <p>The queue is bounded by admission rather than by refusal: a task beyond {@code capacity}
 * waiting tasks is still queued (the event is already in hand), but its admission completes only
 * once a task ahead of it starts. The consumer hands over no further event until every lane has
 * admitted the current one, so a dead channel holds at most {@code capacity} plus one event's
 * deliveries and pauses consumption instead of growing memory without bound.
 */
final class Lane implements AutoCloseable {

    /** {@code admitted} completes when the task is within the lane's bound; {@code done} with its result. */
    record Queued<T>(CompletableFuture<Void> admitted, CompletableFuture<T> done) {
    }

    private final ExecutorService thread;
    private final int capacity;
    private final Deque<CompletableFuture<Void>> blocked = new ArrayDeque<>();
    private int waiting;

    Lane(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a lane needs a capacity of at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "serin-notifier-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    <T> Queued<T> enqueue(Supplier<T> task) {
        CompletableFuture<Void> admitted;
        synchronized (this) {
            waiting++;
            if (waiting <= capacity) {
                admitted = CompletableFuture.completedFuture(null);
            } else {
                admitted = new CompletableFuture<>();
                blocked.add(admitted);
            }
        }
        CompletableFuture<T> done = CompletableFuture.supplyAsync(() -> {
            started();
            return task.get();
        }, thread);
        return new Queued<>(admitted, done);
    }

    /** Tasks queued and not yet started. */
    synchronized int waiting() {
        return waiting;
    }

    private void started() {
        CompletableFuture<Void> next;
        synchronized (this) {
            waiting--;
            next = blocked.poll();
        }
        if (next != null) {
            next.complete(null);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
