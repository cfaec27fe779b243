package io.serin.executor.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that may take long (asking a gate), run beside the command lane on a bounded pool: each
 * release's work in the order it was submitted, after that release's earlier work, while other
 * releases' work and the command lane go on. At most {@code capacity} pieces wait or run; past
 * that, submitting waits for room, so a flood of gates holds the consumer instead of memory.
 */
final class ReleaseLanes implements AutoCloseable {

    /** Work that may only be interrupted. */
    interface Work {
        void run() throws InterruptedException;
    }

    private final ExecutorService pool;
    private final Semaphore room;
    /** The last work of each release that has work waiting or running. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    ReleaseLanes(int threads, int capacity) {
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "serin-release-lane-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.room = new Semaphore(capacity);
    }

    /** Whether work of {@code releaseId} waits or runs: a command of that release must then queue behind it. */
    synchronized boolean busy(String releaseId) {
        return tails.containsKey(releaseId);
    }

    /**
     * Runs {@code work} after the release's earlier work, whatever became of it.
     *
     * @return completes when the work is done; exceptionally only if it was interrupted
     * @throws InterruptedException if the service stops while waiting for room
     */
    CompletableFuture<Void> submit(String releaseId, Work work) throws InterruptedException {
        room.acquire();
        synchronized (this) {
            CompletableFuture<Void> previous = tails.getOrDefault(releaseId, CompletableFuture.completedFuture(null));
            CompletableFuture<Void> done = previous.handle((ignored, failure) -> null)
                    .thenRunAsync(() -> {
                        try {
                            work.run();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new CompletionException(e);
                        }
                    }, pool);
            tails.put(releaseId, done);
            done.whenComplete((ignored, failure) -> {
                synchronized (this) {
                    tails.remove(releaseId, done);
                }
                room.release();
            });
            return done;
        }
    }

    /** Stops the work under way; its records are not acknowledged, so another instance answers them. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
