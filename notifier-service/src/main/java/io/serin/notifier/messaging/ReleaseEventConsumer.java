package io.serin.notifier.messaging;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.notify.Lease;
import io.serin.notifier.notify.Notifier;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Reads the release event log (committed records only) and hands each event to the {@link Notifier}.
 * The method completes as soon as every channel's lane has room for the event, so one slow channel
 * does not hold back the next event for the others until its queue is full; then the consumer
 * pauses. A record is acknowledged only when every channel has it, had it, or has dead-lettered it
 * (the throttled commit strategy commits an offset once all records before it are acknowledged).
 * Nothing here fails the channel: an outcome that cannot be recorded yet is retried by its lane.
 */
@ApplicationScoped
public class ReleaseEventConsumer {

    private static final Logger LOG = Logger.getLogger(ReleaseEventConsumer.class);
    private static final EventCodec<ReleaseEvent> CODEC = EventCodec.of(ReleaseEvent.class);

    private final Notifier notifier;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final PartitionLeases leases;
    /**
     * Events older than this are not posted: the delivery log forgets after the state retention (a
     * day's margin below it), so for them it could not tell whether they were posted already, and chat
     * about a release that long gone is noise. The release log itself is kept far longer (docs/topics.md).
     */
    private final java.time.Duration postableAge;

    ReleaseEventConsumer(Notifier notifier, DeadLetters deadLetters, DeliveryMetrics metrics, PartitionLeases leases,
            io.serin.notifier.config.NotifierConfig config) {
        java.time.Duration retention = config.state().retention();
        this.postableAge = retention.compareTo(java.time.Duration.ofDays(2)) > 0
                ? retention.minusDays(1) : retention.dividedBy(2);
        this.notifier = notifier;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.leases = leases;
    }

    // called in partition order: each channel's lane then keeps one release's events in log order
    @Incoming("release-events")
    public CompletionStage<Void> consume(KafkaRecord<String, byte[]> record) {
        CloudEvent<ReleaseEvent> read;
        ReleaseEvent shown;
        try {
            read = CODEC.decode(record.getPayload());
            // chat shows URLs without userinfo or query, whoever wrote the event (the planner already does so)
            shown = io.serin.events.policy.Redaction.shown(read.data());
        } catch (InvalidMessageException e) {
            return deadLetter(record, e.getMessage());
        } catch (RuntimeException e) {
            return deadLetter(record, "cannot show the event without its secrets: " + e);
        }
        // when the record was written to the log (the planner's clock), not what its payload claims
        java.time.Instant written = record.getTimestamp();
        if (written != null && written.toEpochMilli() > 0
                && written.isBefore(java.time.Instant.now().minus(postableAge))) {
            metrics.skipped();
            LOG.infof("not posting event %s of release %s: written %s, longer ago than the delivery log remembers (%s)",
                    read.id(), read.subject(), written, postableAge);
            return record.ack();
        }
        CloudEvent<ReleaseEvent> event = new CloudEvent<>(read.specversion(), read.id(), read.source(), read.type(),
                read.subject(), read.time(), read.datacontenttype(), shown);
        Lease lease = leases.lease(new TopicPartition(record.getTopic(), record.getPartition()));
        Notifier.Handling handling;
        try {
            handling = notifier.handle(event, (channel, reason) -> deadLetters.publish(record, reason, channel),
                    lease);
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot notify event %s of release %s", event.id(), event.subject());
            return deadLetter(record, "cannot notify: " + e);
        }
        if (handling.channels().isEmpty()) {
            metrics.skipped();
            LOG.debugf("no channel wants %s #%d of release %s (%s)", event.type(), event.data().sequence(),
                    event.data().releaseId(), handling.severity());
        }
        leases.track(lease, handling.deliveries());
        handling.deliveries().whenComplete((outcomes, failure) -> {
            if (failure != null) {
                // only a lane stopping (shutdown) gets here: left unacknowledged, the record is read again
                LOG.debugf("left event %s of release %s unfinished: %s", event.id(), event.subject(),
                        failure.getMessage());
            } else if (outcomes.stream().allMatch(o -> o.result().settled())) {
                record.ack();
            } else {
                LOG.debugf("left event %s of release %s to the partition's new owner", event.id(), event.subject());
            }
        });
        return handling.admitted();
    }

    private CompletionStage<Void> deadLetter(KafkaRecord<String, byte[]> record, String reason) {
        return deadLetters.publishAsync(record, reason).thenCompose(ignored -> {
            metrics.unreadable();
            LOG.warnf("dead-lettered %s (key %s): %s", DeadLetters.origin(record), record.getKey(), reason);
            return record.ack();
        });
    }
}
