package io.serin.notifier.notify;

import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bounded {@link Lane} per channel: a slow or dead channel backs up only its own lane (until the
 * lane is full, when it pauses the consumer), while each channel still gets one release's messages
 * in log order (the consumer submits them in partition order).
 *
 * <p>Per delivery, in this order: skip it if the channel already has it; drop it if the partition
 * moved to another instance; write ahead that a post is being attempted; post; record the answer.
 * A record that cannot be written is retried until it is durable, never given up and never a reason
 * to post again. A restart finds a write-ahead record without an answer only when the previous run
 * stopped between the two; the channel then re-posts or skips ({@link Channel#repostsUncertain()}).
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** {@code admitted}: the channel's lane has room for it; {@code outcome}: what became of it. */
    public record Dispatch(CompletableFuture<Void> admitted, CompletableFuture<DeliveryOutcome> outcome) {
    }

    private final DeliveryLog log;
    private final Attempts attempts;
    private final DeliveryListener listener;
    private final UntilDurable durably;
    private final int laneCapacity;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * @param recordBackoff bounds of the wait between attempts to record an outcome
     * @param laneCapacity  deliveries a channel may have waiting before the consumer pauses
     */
    public Dispatcher(DeliveryLog log, Attempts attempts, DeliveryListener listener, RetryPolicy recordBackoff,
            Sleeper sleeper, int laneCapacity) {
        this.log = log;
        this.attempts = attempts;
        this.listener = listener;
        this.durably = new UntilDurable(recordBackoff.initialBackoff(), recordBackoff.maxBackoff(), sleeper);
        this.laneCapacity = laneCapacity;
    }

    /** For tests and tools: records retried every 10 to 100 ms, lanes of 1000. */
    public Dispatcher(DeliveryLog log, Attempts attempts, DeliveryListener listener) {
        this(log, attempts, listener, new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(100)),
                Sleeper.REAL, 1000);
    }

    /** {@link #dispatch} from a source nobody else can take over; the future is the outcome. */
    public CompletableFuture<DeliveryOutcome> submit(Channel channel, ChatMessage message, DeadLetterSink deadLetters) {
        return dispatch(channel, message, deadLetters, Lease.PERPETUAL).outcome();
    }

    /**
     * Queues {@code message} for {@code channel}. The outcome completes when the channel has it, had
     * it already, it is dead-lettered, or the lease lapsed before the post; it fails only when the
     * lane stops (shutdown) before the outcome is durable.
     */
    public Dispatch dispatch(Channel channel, ChatMessage message, DeadLetterSink deadLetters, Lease lease) {
        String eventId = message.event().id();
        String what = "event " + eventId + " (" + message.event().type() + " #" + message.event().data().sequence()
                + " of release " + message.event().data().releaseId() + ")";
        Lane.Queued<DeliveryOutcome> queued = lane(channel.name()).enqueue(() -> {
            try {
                DeliveryOutcome outcome = deliver(channel, message, deadLetters, lease, eventId, what);
                listener.outcome(channel.name(), outcome);
                return outcome;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while notifying " + channel.name() + " of " + what);
            }
        });
        return new Dispatch(queued.admitted(), queued.done());
    }

    private DeliveryOutcome deliver(Channel channel, ChatMessage message, DeadLetterSink deadLetters, Lease lease,
            String eventId, String what) throws InterruptedException {
        if (!lease.held()) {
            LOG.debugf("channel %s: %s belongs to another instance now; not posting", channel.name(), what);
            return DeliveryOutcome.fenced();
        }
        Optional<DeliveryLog.Outcome> known = log.outcome(channel.name(), eventId);
        if (known.isPresent() && known.get().settled()) {
            LOG.debugf("channel %s already has %s; not posting again", channel.name(), what);
            return DeliveryOutcome.duplicate();
        }
        String record = "the delivery of " + what + " to " + channel.name();
        if (known.isPresent()) {
            if (!channel.repostsUncertain()) {
                durably.write(record, () -> log.record(channel.name(), eventId, DeliveryLog.Outcome.SKIPPED));
                LOG.warnf("channel %s may or may not have %s (a previous run stopped before recording the "
                        + "answer); skipping it, as configured", channel.name(), what);
                return DeliveryOutcome.skippedUncertain();
            }
            LOG.warnf("channel %s may or may not have %s (a previous run stopped before recording the answer); "
                    + "posting again%s", channel.name(), what,
                    channel.platform().deduplicates() ? " with the same key, so the platform drops a repeat" : "");
        } else {
            durably.write(record, () -> log.record(channel.name(), eventId, DeliveryLog.Outcome.ATTEMPTING));
        }
        DeliveryOutcome outcome;
        try {
            outcome = attempts.post(channel, channel.renderer().render(message, deliveryKey(channel, eventId)), what);
        } catch (RuntimeException e) {
            // a rendering bug must park the event, not stop the lane; the exception names no endpoint
            outcome = DeliveryOutcome.undeliverable(1, "cannot render for " + channel.platform().configName()
                    + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (outcome.result() == DeliveryOutcome.Result.DELIVERED) {
            long answered = System.nanoTime();
            durably.write(record, () -> log.record(channel.name(), eventId, DeliveryLog.Outcome.DELIVERED));
            // from the 2xx to a durable record: a crash in here is the only way to a second message
            listener.unrecorded(channel.name(), Duration.ofNanos(System.nanoTime() - answered));
            LOG.infof("channel %s got %s", channel.name(), what);
        } else {
            String reason = outcome.reason();
            durably.write("the dead letter of " + what + " for " + channel.name(),
                    () -> deadLetters.publish(channel.name(), reason));
            durably.write(record, () -> log.record(channel.name(), eventId, DeliveryLog.Outcome.DEAD_LETTERED));
            LOG.warnf("channel %s could not take %s, dead-lettered: %s", channel.name(), what, reason);
        }
        return outcome;
    }

    /** Deliveries queued for {@code channel} and not yet started. */
    public int waiting(String channel) {
        Lane lane = lanes.get(channel);
        return lane == null ? 0 : lane.waiting();
    }

    /** Stable for one event on one channel, so a repeat after a crash carries the same key. */
    static String deliveryKey(Channel channel, String eventId) {
        return UUID.nameUUIDFromBytes((channel.name() + "/" + eventId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Lane lane(String channel) {
        return lanes.computeIfAbsent(channel, name -> new Lane(name, laneCapacity));
    }

    @Override
    public void close() {
        lanes.values().forEach(Lane::close);
    }
}
