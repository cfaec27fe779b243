package io.serin.notifier.messaging;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.notify.DeliveryOutcome;
import io.serin.notifier.notify.Notifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the release event log and hands each event to the {@link Notifier}. Every record ends
 * delivered, skipped or dead-lettered; none stops the consumer.
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

    // ordered: one release's events live in one partition and must reach chat in log order
    @Incoming("release-events")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent<ReleaseEvent> event;
        try {
            event = CODEC.decode(record.value());
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        DeliveryOutcome outcome;
        try {
            outcome = notifier.deliver(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // not acknowledged: the record is read again after the restart that interrupted us
            throw new IllegalStateException("interrupted while notifying " + DeadLetters.origin(record), e);
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot notify event %s of release %s", event.id(), event.subject());
            deadLetter(record, "cannot notify: " + e);
            return;
        }
        switch (outcome.result()) {
            case DELIVERED -> {
                metrics.delivered();
                LOG.infof("notified %s #%d of release %s", event.type(), event.data().sequence(),
                        event.data().releaseId());
            }
            case SKIPPED -> {
                metrics.skipped();
                LOG.debugf("not notifying %s of release %s: %s", event.type(), event.data().releaseId(),
                        outcome.reason());
            }
            case UNDELIVERABLE -> deadLetter(record, outcome.reason());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetters.publish(record, reason);
        metrics.deadLettered();
        LOG.warnf("dead-lettered %s (key %s): %s", DeadLetters.origin(record), record.key(), reason);
    }
}
