package io.serin.notifier.messaging;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.notify.Notifier;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the release event log and hands each event to the {@link Notifier}. The method returns at
 * once so that one slow channel never holds back the next event for the others; a record is
 * acknowledged only when every channel has it or has dead-lettered it (the throttled commit strategy
 * commits an offset once all records before it are acknowledged). None stops the consumer.
 */
@ApplicationScoped
public class ReleaseEventConsumer {

    private static final Logger LOG = Logger.getLogger(ReleaseEventConsumer.class);
    private static final EventCodec<ReleaseEvent> CODEC = EventCodec.of(ReleaseEvent.class);

    private final Notifier notifier;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;

    ReleaseEventConsumer(Notifier notifier, DeadLetters deadLetters, DeliveryMetrics metrics) {
        this.notifier = notifier;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    // called in partition order: each channel's lane then keeps one release's events in log order
    @Incoming("release-events")
    public CompletionStage<Void> consume(KafkaRecord<String, byte[]> record) {
        CloudEvent<ReleaseEvent> event;
        try {
            event = CODEC.decode(record.getPayload());
        } catch (InvalidMessageException e) {
            return deadLetter(record, e.getMessage());
        }
        Notifier.Handling handling;
        try {
            handling = notifier.handle(event, (channel, reason) -> deadLetters.publish(record, reason, channel));
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot notify event %s of release %s", event.id(), event.subject());
            return deadLetter(record, "cannot notify: " + e);
        }
        if (handling.channels().isEmpty()) {
            metrics.skipped();
            LOG.debugf("no channel wants %s #%d of release %s (%s)", event.type(), event.data().sequence(),
                    event.data().releaseId(), handling.severity());
        }
        handling.deliveries().whenComplete((outcomes, failure) -> {
            if (failure == null) {
                record.ack();
            } else {
                // the outcome is not durable: fail the channel (health DOWN) rather than lose the record
                LOG.errorf("cannot complete event %s of release %s: %s", event.id(), event.subject(),
                        failure.getMessage());
                record.nack(failure);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> deadLetter(KafkaRecord<String, byte[]> record, String reason) {
        return deadLetters.publishAsync(record, reason).thenCompose(ignored -> {
            metrics.unreadable();
            LOG.warnf("dead-lettered %s (key %s): %s", DeadLetters.origin(record), record.getKey(), reason);
            return record.ack();
        });
    }
}
