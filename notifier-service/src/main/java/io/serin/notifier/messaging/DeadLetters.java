package io.serin.notifier.messaging;

import io.serin.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import io.serin.kafka.DeadLetter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Parks records the notifier could not handle on {@code serin.release.events.dlq}, with the reason,
 * the origin and, when one channel refused it, that channel's name (so an operator can replay it to
 * that channel alone).
 */
@ApplicationScoped
public class DeadLetters {

    static final String CHANNEL = "release-events-dlq";
    /** Record header naming the notifier channel that could not take the event. */
    public static final String CHANNEL_HEADER = "serin.dlq.channel";

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Blocks until the broker has it, so the source offset is only committed once it is safe. */
    void publish(KafkaRecord<String, byte[]> record, String reason, String channel) {
        emitter.sendMessageAndAwait(deadLetter(record, reason, channel));
    }

    /** The same, without blocking: for the consumer's own (event-loop) thread. */
    CompletionStage<Void> publishAsync(KafkaRecord<String, byte[]> record, String reason) {
        return emitter.sendMessage(deadLetter(record, reason, null)).subscribeAsCompletionStage();
    }

    private static Message<byte[]> deadLetter(KafkaRecord<String, byte[]> record, String reason, String channel) {
        RecordHeaders headers = new RecordHeaders(record.getHeaders().toArray());
        headers.remove(Topics.DLQ_REASON_HEADER).remove(Topics.DLQ_ORIGIN_HEADER).remove(CHANNEL_HEADER);
        DeadLetter.headers(reason, origin(record)).forEach(headers::add);
        if (channel != null) {
            headers.add(CHANNEL_HEADER, channel.getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.getKey())
                .withHeaders(headers)
                .build();
        // a tombstone has no value to keep; an empty one keeps the DLQ free of deletes
        byte[] value = record.getPayload() == null ? new byte[0] : record.getPayload();
        return Message.of(value).addMetadata(metadata);
    }

    static String origin(KafkaRecord<?, ?> record) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        return DeadLetter.origin(record.getTopic(), record.getPartition(), offset);
    }
}
