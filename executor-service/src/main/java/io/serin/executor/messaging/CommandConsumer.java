package io.serin.executor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.InvalidMessageException;
import io.serin.executor.config.ExecutorConfig;
import io.serin.kafka.DeadLetter;
import io.serin.events.policy.Redaction;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.Redacted;
import io.serin.executor.execute.StaleCommand;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Thin adapter: one command in, one result (or dead letter) out. A record is acknowledged, and its
 * offset becomes committable (the throttled strategy commits a partition only up to its first
 * record not yet acknowledged), only once its result is written to the broker: a crash before
 * re-delivers the command, which is then applied again idempotently (or refused as stale) and
 * answered again; the planner ignores the duplicate. Nothing a record holds and nothing the broker
 * does nacks a record (which would stop the channel), except the service stopping meanwhile.
 *
 * <p>Commands are applied one after another, in partition order, on the command lane; but a gate,
 * which may take minutes to answer, is asked on its release's lane beside it ({@link ReleaseLanes}),
 * so a slow gate delays only its own release. A command of a release whose gate is still being
 * asked queues behind it on that lane, so a release's commands stay in order.
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

    private ReleaseLanes lanes;

    /**
     * Takes the next record; returns at once for a gate, and once the result is written for any other
     * command. The record is acknowledged when its result or dead letter is written, and nacked (the
     * channel stops without committing it) only when the service stops before.
     */
    @Incoming("executor-commands")
    @Blocking(ordered = true)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onCommand(Message<byte[]> message) {
        @SuppressWarnings("unchecked")
        ConsumerRecord<String, byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> (ConsumerRecord<String, byte[]>) m.getRecord())
                .orElseThrow(() -> new IllegalStateException("a record of the Kafka connector without its metadata"));
        try {
            accept(record).whenComplete((done, failure) -> {
                if (failure == null) {
                    message.ack();
                } else {
                    message.nack(failure);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            message.nack(e);
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Answers one record: at once (the stage is complete on return) unless it is a gate or its
     * release has a gate under way, in which case the stage completes when the answer is written.
     *
     * @throws InterruptedException only when the service stops meanwhile; nothing is answered then
     */
    CompletionStage<Void> accept(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        CloudEvent<ExecutorCommand> event;
        try {
            event = COMMANDS.decode(record.value());
        } catch (RuntimeException e) { // InvalidMessageException, and whatever else odd bytes provoke
            deadLetter(record, e instanceof InvalidMessageException ? e.getMessage() : describe(e));
            return CompletableFuture.completedFuture(null);
        }
        ExecutorCommand command = event.data();
        if (blank(command.commandId()) || blank(command.releaseId())) {
            deadLetter(record, "command has no commandId or no releaseId: its result could not be addressed");
            return CompletableFuture.completedFuture(null);
        }
        Instant issuedAt = issuedAt(event, record);
        // a rollback never waits for its release's gate: it is applied at once, and a command of the release
        // still queued behind the gate is then older than the rollback and refused as stale (CommandOrder)
        if (command instanceof ExecutorCommand.CheckGate
                || (lanes().busy(command.releaseId()) && !CommandHandler.isRollback(command))) {
            return lanes().submit(command.releaseId(), () -> answer(record, command, issuedAt));
        }
        answer(record, command, issuedAt);
        return CompletableFuture.completedFuture(null);
    }

    private void answer(ConsumerRecord<String, byte[]> record, ExecutorCommand command, Instant issuedAt)
            throws InterruptedException {
        ExecutorResult result = handle(command, issuedAt);
        byte[] value;
        try {
            value = RESULTS.encode(CloudEvent.withId(command.commandId() + "/result", URI.create(config.source()),
                    command.releaseId(), Instant.now(), result));
        } catch (RuntimeException e) {
            deadLetter(record, "its result could not be encoded: " + describe(e));
            return;
        }
        persistently().run("[" + command.releaseId() + "] publish the result of " + command.commandId(),
                () -> results.send(Record.of(command.releaseId(), value)).toCompletableFuture()
                        .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS));
        count(command.getClass().getSimpleName(), outcome(result));
    }

    /** The handler answers every failure with a result; should it ever throw, the planner hears that too. */
    private ExecutorResult handle(ExecutorCommand command, Instant issuedAt) {
        try {
            return handler.handle(command, issuedAt);
        } catch (RuntimeException e) {
            LOG.errorf(Redacted.copy(e), "[%s] %s: unexpected failure", command.releaseId(), command.commandId());
            return new ExecutorResult.Failed(command.commandId(), command.releaseId(), Instant.now(),
                    FailureReason.INTERNAL, describe(e));
        }
    }

    /**
     * When the planner issued the command: the CloudEvent's {@code time}, else the record's
     * timestamp (the planner writes both alike), else now, which can make no command stale by age.
     */
    static Instant issuedAt(CloudEvent<?> event, ConsumerRecord<?, ?> record) {
        if (event.time() != null) {
            return event.time();
        }
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String why) throws InterruptedException {
        String reason = Redaction.text(why);
        String origin = DeadLetter.origin(record.topic(), record.partition(), record.offset());
        LOG.warnf("[%s] dead-lettering command %s: %s", record.key(), origin, reason);
        var headers = DeadLetter.headers(reason, origin);
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        persistently().run("[" + record.key() + "] dead-letter command " + origin, () -> {
            var sent = new CompletableFuture<Void>();
            deadLetters.send(Message.of(value).addMetadata(metadata)
                    .withAck(() -> {
                        sent.complete(null);
                        return sent;
                    })
                    .withNack(t -> {
                        sent.completeExceptionally(t);
                        return CompletableFuture.completedFuture(null);
                    }));
            sent.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
        count("unreadable", "dead_lettered");
    }

    private synchronized ReleaseLanes lanes() {
        if (lanes == null) {
            int threads = Math.max(1, config.gates().concurrency());
            lanes = new ReleaseLanes(threads, threads * 32);
        }
        return lanes;
    }

    @PreDestroy
    synchronized void stop() {
        if (lanes != null) {
            lanes.close();
        }
    }

    private Persistently persistently() {
        return new Persistently(config.publishBackoff(), config.publishMaxBackoff(),
                () -> registry.counter("serin_executor_publish_retries_total").increment());
    }

    private void count(String command, String outcome) {
        registry.counter("serin_executor_commands_total", "command", command, "outcome", outcome).increment();
    }

    private static String outcome(ExecutorResult result) {
        if (result instanceof ExecutorResult.Failed f && f.message() != null
                && f.message().startsWith(StaleCommand.PREFIX)) {
            return "stale";
        }
        return result instanceof ExecutorResult.Succeeded ? "succeeded" : "failed";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String describe(Throwable e) {
        return Redaction.text(DeadLetter.describe(e));
    }
}
