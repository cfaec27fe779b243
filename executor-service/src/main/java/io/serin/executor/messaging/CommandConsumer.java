package io.serin.executor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.InvalidMessageException;
import io.serin.events.Topics;
import io.serin.executor.config.ExecutorConfig;
import io.serin.executor.execute.CommandHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Thin adapter: one command in, one result out. The command's offset is committed only after its
 * result is written, so a crash in between re-applies the (idempotent) command and re-reports the
 * same result; the planner ignores the duplicate.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);

    @Inject
    CommandHandler handler;

    @Inject
    ExecutorConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    @Channel("executor-results")
    Emitter<Record<String, byte[]>> results;

    @Inject
    @Channel("executor-commands-dlq")
    Emitter<byte[]> deadLetters;

    @Incoming("executor-commands")
    @Blocking(ordered = true)
    public void onCommand(ConsumerRecord<String, byte[]> record) throws Exception {
        ExecutorCommand command;
        try {
            command = COMMANDS.decode(record.value()).data();
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        ExecutorResult result = handler.handle(command);
        registry.counter("serin_executor_commands_total", "command", command.getClass().getSimpleName(),
                "outcome", result instanceof ExecutorResult.Succeeded ? "succeeded" : "failed").increment();
        byte[] value = RESULTS.encode(CloudEvent.withId(command.commandId() + "/result", URI.create(config.source()),
                command.releaseId(), Instant.now(), result));
        results.send(Record.of(command.releaseId(), value)).toCompletableFuture()
                .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) throws Exception {
        String origin = record.topic() + "/" + record.partition() + "/" + record.offset();
        LOG.warnf("[%s] dead-lettering command %s: %s", record.key(), origin, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build();
        var sent = new java.util.concurrent.CompletableFuture<Void>();
        deadLetters.send(Message.of(record.value() == null ? new byte[0] : record.value())
                .addMetadata(metadata)
                .withAck(() -> {
                    sent.complete(null);
                    return sent;
                })
                .withNack(t -> {
                    sent.completeExceptionally(t);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }));
        sent.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        registry.counter("serin_executor_commands_total", "command", "unreadable", "outcome", "dead_lettered")
                .increment();
    }
}
