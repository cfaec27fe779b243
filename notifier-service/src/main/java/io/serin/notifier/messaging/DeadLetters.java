package io.serin.notifier.messaging;

import io.serin.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/** Parks records the notifier could not handle on {@code serin.release.events.dlq}, with the reason. */
@ApplicationScoped
public class DeadLetters {

    static final String CHANNEL = "release-events-dlq";

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /**
     * Blocks until the broker has the dead letter, so the source offset is only committed once the
     * record is safe somewhere.
     */
    void publish(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topics.DLQ_REASON_HEADER).remove(Topics.DLQ_ORIGIN_HEADER);
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, origin(record).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        // a tombstone has no value to keep; an empty one keeps the DLQ free of deletes
        byte[] value = record.value() == null ? new byte[0] : record.value();
        emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
    }

    static String origin(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
