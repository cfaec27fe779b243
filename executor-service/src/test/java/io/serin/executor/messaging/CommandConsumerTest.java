package io.serin.executor.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.config.ExecutorConfig;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.WebhookGates;
import io.serin.executor.execute.Workloads;
import io.serin.executor.testing.Policies;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against emitters that fail like a broker in an outage and adapters that throw:
 * it never throws (which would nack the record and stop the channel), and it returns, letting the
 * offset be committed, only once the result or dead letter is written.
 */
class CommandConsumerTest {

    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final URI SOURCE = URI.create("urn:test:planner");
    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private long offset;

    @Test
    void publishesTheResultOnceTheBrokerIsBackAndOnlyThenReturns() {
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(4);
        CommandConsumer consumer = consumer(handler(gates(true)), results, new FlakyEmitter<>(0));

        assertThatCode(() -> answer(consumer, record("r1", checkGate("r1/gate-0"), Instant.now())))
                .doesNotThrowAnyException();

        assertThat(results.attempts()).isEqualTo(5);
        assertThat(results.written()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("r1");
            CloudEvent<ExecutorResult> event = RESULTS.decode(r.value());
            assertThat(event.id()).isEqualTo("r1/gate-0/result");
            assertThat(event.data()).isInstanceOf(ExecutorResult.Succeeded.class);
        });
        assertThat(registry.counter("serin_executor_publish_retries_total").count()).isEqualTo(4);
    }

    @Test
    void keepsConsumingAfterAnOutageWithoutApplyingACommandTwice() throws Exception {
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(3);
        int[] asked = new int[1];
        CommandConsumer consumer = consumer(handler(check -> {
            asked[0]++;
            return new WebhookGates.Answer(true, "200");
        }), results, new FlakyEmitter<>(0));

        answer(consumer, record("r1", checkGate("r1/gate-0"), Instant.now()));
        answer(consumer, record("r2", checkGate("r2/gate-0"), Instant.now()));

        assertThat(asked[0]).as("a result that could not be published is published again, not re-made")
                .isEqualTo(2);
        assertThat(results.written()).extracting(Record::key).containsExactly("r1", "r2");
    }

    @Test
    void answersAnyExceptionOfAnAdapterWithAFailedResultAndGoesOn() throws Exception {
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(new CommandHandler(explodingWorkloads(), null, null, gates(true),
                Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(15), Policies.allowing("payments"),
                Clock.systemUTC()),
                results, new FlakyEmitter<>(0));
        ExecutorCommand weight = new ExecutorCommand.SetCanaryWeight("r1/step-0", "r1", TARGET,
                new VersionSpec("registry.example.com/payment-gateway:v2", null), 25, new TrafficRouting.ReplicaRatio());

        assertThatCode(() -> answer(consumer, record("r1", weight, Instant.now()))).doesNotThrowAnyException();
        answer(consumer, record("r2", checkGate("r2/gate-0"), Instant.now()));

        assertThat(results.written()).hasSize(2);
        assertThat(RESULTS.decode(results.written().get(0).value()).data())
                .isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.INTERNAL);
                    assertThat(f.message()).contains("IllegalStateException").contains("connection pool closed");
                });
        assertThat(RESULTS.decode(results.written().get(1).value()).data()).isInstanceOf(ExecutorResult.Succeeded.class);
    }

    @Test
    void answersAGateThatThrowsWithAFailedResult() throws Exception {
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(handler(check -> {
            throw new NullPointerException("no answer body");
        }), results, new FlakyEmitter<>(0));

        answer(consumer, record("r1", checkGate("r1/gate-0"), Instant.now()));

        assertThat(RESULTS.decode(results.written().get(0).value()).data())
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.message()).contains("NullPointerException: no answer body"));
    }

    @Test
    void aSlowGateHoldsUpOnlyItsOwnRelease() throws Exception {
        CountDownLatch gateOpens = new CountDownLatch(1);
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(new CommandHandler(explodingWorkloads(), null, null, check -> {
            if (check.releaseId().equals("slow")) {
                awaitQuietly(gateOpens);
            }
            return new WebhookGates.Answer(true, "200");
        }, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(15), Policies.allowing("payments"),
                Clock.systemUTC()), results, new FlakyEmitter<>(0));

        CompletableFuture<Void> slowGate = consumer.accept(record("slow", checkGate("slow/gate-0"), Instant.now()))
                .toCompletableFuture();
        CompletableFuture<Void> slowNext = consumer.accept(record("slow", weight("slow/step-1"), Instant.now()))
                .toCompletableFuture();
        consumer.accept(record("other", rollback("other/rollback"), Instant.now())).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        consumer.accept(record("third", checkGate("third/gate-0"), Instant.now())).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        // a rollback never waits for a gate, its own release's included
        consumer.accept(record("slow", rollback("slow/rollback"), Instant.now())).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(answered(results)).as("other releases, and rollbacks, while the slow gate is still asked")
                .containsExactly("other/rollback", "third/gate-0", "slow/rollback");
        assertThat(slowGate).isNotDone();
        assertThat(slowNext).as("a forward command queued behind its release's gate").isNotDone();

        gateOpens.countDown();
        slowNext.get(5, TimeUnit.SECONDS);
        assertThat(answered(results)).containsExactly("other/rollback", "third/gate-0", "slow/rollback",
                "slow/gate-0", "slow/step-1");
    }

    @Test
    void acknowledgesARecordOnlyOnceItsResultIsWrittenButFreesTheLaneAtOnce() {
        CountDownLatch gateOpens = new CountDownLatch(1);
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(2);
        CommandConsumer consumer = consumer(handler(check -> {
            awaitQuietly(gateOpens);
            return new WebhookGates.Answer(true, "200");
        }), results, new FlakyEmitter<>(0));
        ConsumerRecord<String, byte[]> record = record("r1", checkGate("r1/gate-0"), Instant.now());
        AtomicBoolean acked = new AtomicBoolean();
        Message<byte[]> message = Message.of(record.value(), Metadata.of(new IncomingKafkaRecordMetadata<>(record,
                "executor-commands")), () -> {
                    assertThat(results.written()).as("written before the offset may be committed").hasSize(1);
                    acked.set(true);
                    return CompletableFuture.completedFuture(null);
                });

        assertThat(consumer.onCommand(message)).as("the command lane goes on").isCompleted();
        assertThat(acked).isFalse();

        gateOpens.countDown();
        await().atMost(Duration.ofSeconds(10)).untilTrue(acked);
        assertThat(results.attempts()).isEqualTo(3);
    }

    @Test
    void deadLettersUnreadableRecordsUntilTheDeadLetterIsWritten() {
        FlakyEmitter<byte[]> deadLetters = new FlakyEmitter<>(3);
        CommandConsumer consumer = consumer(handler(gates(true)), new FlakyEmitter<>(0), deadLetters);

        assertThatCode(() -> answer(consumer, raw("r1", "garbage{".getBytes(StandardCharsets.UTF_8), -1)))
                .doesNotThrowAnyException();
        assertThatCode(() -> answer(consumer, raw("r1", null, -1))).doesNotThrowAnyException();

        assertThat(deadLetters.written()).hasSize(2);
        assertThat(deadLetters.attempts()).isEqualTo(5);
    }

    @Test
    void deadLettersACommandWithoutIdsForItCouldNotBeAnswered() throws Exception {
        FlakyEmitter<byte[]> deadLetters = new FlakyEmitter<>(0);
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(handler(gates(true)), results, deadLetters);

        answer(consumer, record("r1", new ExecutorCommand.CheckGate(null, "r1", TARGET, null, "approval",
                new Webhook("http://gate.example")), Instant.now()));

        assertThat(deadLetters.written()).hasSize(1);
        assertThat(results.written()).isEmpty();
    }

    @Test
    void refusesACommandOlderThanTheMaximumAgeAsStale() throws Exception {
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(handler(gates(true)), results, new FlakyEmitter<>(0));

        answer(consumer, record("r1", checkGate("r1/gate-0"), Instant.now().minus(Duration.ofHours(1))));

        assertThat(RESULTS.decode(results.written().get(0).value()).data())
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.message()).startsWith("stale command, no effect: "));
        assertThat(registry.counter("serin_executor_commands_total", "command", "CheckGate", "outcome", "stale")
                .count()).isEqualTo(1);
    }

    @Test
    void takesTheIssueTimeFromTheEnvelopeElseFromTheRecord() {
        Instant issued = Instant.parse("2026-01-02T03:04:05Z");
        ExecutorCommand gate = checkGate("r1/gate-0");
        ConsumerRecord<String, byte[]> record = raw("r1", new byte[0], issued.plusSeconds(1).toEpochMilli());

        assertThat(CommandConsumer.issuedAt(CloudEvent.withId("c", SOURCE, "r1", issued, gate), record))
                .isEqualTo(issued);
        assertThat(CommandConsumer.issuedAt(CloudEvent.withId("c", SOURCE, "r1", null, gate), record))
                .isEqualTo(issued.plusSeconds(1));
    }

    private static List<String> answered(FlakyEmitter<Record<String, byte[]>> results) {
        return results.written().stream().map(r -> RESULTS.decode(r.value()).data().commandId()).toList();
    }

    private static ExecutorCommand.SetCanaryWeight weight(String commandId) {
        return new ExecutorCommand.SetCanaryWeight(commandId, commandId.substring(0, commandId.indexOf('/')), TARGET,
                new io.serin.events.VersionSpec("registry.example.com/payments/payment-gateway:v2", null), 25,
                new TrafficRouting.ReplicaRatio(), null);
    }

    private static ExecutorCommand.RollbackCanary rollback(String commandId) {
        return new ExecutorCommand.RollbackCanary(commandId, commandId.substring(0, commandId.indexOf('/')), TARGET,
                new TrafficRouting.ReplicaRatio(), "its analysis failed");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes one record as the channel would, and waits until it is answered. */
    private static void answer(CommandConsumer consumer, ConsumerRecord<String, byte[]> record) throws Exception {
        consumer.accept(record).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private CommandConsumer consumer(CommandHandler handler, FlakyEmitter<Record<String, byte[]>> results,
            FlakyEmitter<byte[]> deadLetters) {
        CommandConsumer consumer = new CommandConsumer();
        consumer.handler = handler;
        consumer.config = new TestExecutorConfig();
        consumer.registry = registry;
        consumer.results = results;
        consumer.deadLetters = deadLetters;
        return consumer;
    }

    private static CommandHandler handler(WebhookGates gates) {
        return new CommandHandler(null, null, null, gates, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(15), Policies.allowing("payments"), Clock.systemUTC());
    }

    private static WebhookGates gates(boolean go) {
        return check -> new WebhookGates.Answer(go, go ? "200" : "503");
    }

    private static ExecutorCommand.CheckGate checkGate(String commandId) {
        return new ExecutorCommand.CheckGate(commandId, commandId.substring(0, commandId.indexOf('/')), TARGET, null,
                "approval", new Webhook("http://gate.example"));
    }

    /** A cluster adapter whose every call fails the way no ExecutionFailure foresees. */
    private static Workloads explodingWorkloads() {
        return (Workloads) Proxy.newProxyInstance(Workloads.class.getClassLoader(), new Class<?>[] {Workloads.class},
                (proxy, method, args) -> {
                    throw new IllegalStateException("connection pool closed");
                });
    }

    private ConsumerRecord<String, byte[]> record(String key, ExecutorCommand command, Instant issuedAt) {
        return raw(key, COMMANDS.encode(CloudEvent.withId(command.commandId() == null ? "x" : command.commandId(),
                SOURCE, key, issuedAt, command)), issuedAt.toEpochMilli());
    }

    private ConsumerRecord<String, byte[]> raw(String key, byte[] value, long timestamp) {
        return new ConsumerRecord<>(Topics.EXECUTOR_COMMANDS, 0, offset++, timestamp,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, key, value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
    }
}
