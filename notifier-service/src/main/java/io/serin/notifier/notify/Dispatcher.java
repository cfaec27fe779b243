package io.serin.notifier.notify;

import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One lane per channel: a single thread that takes that channel's deliveries in the order they were
 * submitted. A slow or dead channel therefore backs up only its own lane, while each channel still
 * gets one release's messages in log order (the consumer submits them in partition order).
 *
 * <p>Each delivery consults the {@link DeliveryLog} first and records its outcome after, so a
 * redelivered event is not posted twice; only a crash between the post and the record can double
 * it, which is the unavoidable window of any at-least-once consumer with an HTTP side effect.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DeliveryLog log;
    private final Attempts attempts;
    private final DeliveryListener listener;
    private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();

    public Dispatcher(DeliveryLog log, Attempts attempts, DeliveryListener listener) {
        this.log = log;
        this.attempts = attempts;
        this.listener = listener;
    }

    /**
     * Queues {@code message} for {@code channel}. The future completes when the channel has it, had
     * it already, or it is dead-lettered; it fails only when the outcome could not be made durable
     * (then the source record must not be acknowledged).
     */
    public CompletableFuture<DeliveryOutcome> submit(Channel channel, ChatMessage message, DeadLetterSink deadLetters) {
        String eventId = message.event().id();
        String what = "event " + eventId + " (" + message.event().type() + " #" + message.event().data().sequence()
                + " of release " + message.event().data().releaseId() + ")";
        return CompletableFuture.supplyAsync(() -> {
            try {
                DeliveryOutcome outcome = deliver(channel, message, deadLetters, eventId, what);
                listener.outcome(channel.name(), outcome);
                return outcome;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while notifying " + channel.name() + " of " + what);
            }
        }, lane(channel.name()));
    }

    private DeliveryOutcome deliver(Channel channel, ChatMessage message, DeadLetterSink deadLetters,
            String eventId, String what) throws InterruptedException {
        if (log.outcome(channel.name(), eventId).isPresent()) {
            LOG.debugf("channel %s already has %s; not posting again", channel.name(), what);
            return DeliveryOutcome.duplicate();
        }
        DeliveryOutcome outcome;
        try {
            outcome = attempts.post(channel, channel.renderer().render(message), what);
        } catch (RuntimeException e) {
            // a rendering bug must park the event, not stop the lane; the exception names no endpoint
            outcome = DeliveryOutcome.undeliverable(1, "cannot render for " + channel.platform().configName()
                    + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (outcome.result() == DeliveryOutcome.Result.DELIVERED) {
            log.record(channel.name(), eventId, DeliveryLog.Outcome.DELIVERED);
            LOG.infof("channel %s got %s", channel.name(), what);
        } else {
            deadLetters.publish(channel.name(), outcome.reason());
            log.record(channel.name(), eventId, DeliveryLog.Outcome.DEAD_LETTERED);
            LOG.warnf("channel %s could not take %s, dead-lettered: %s", channel.name(), what, outcome.reason());
        }
        return outcome;
    }

    private ExecutorService lane(String channel) {
        return lanes.computeIfAbsent(channel, name -> Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "serin-notifier-" + name);
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Override
    public void close() {
        lanes.values().forEach(ExecutorService::shutdownNow);
        for (ExecutorService lane : lanes.values()) {
            try {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
