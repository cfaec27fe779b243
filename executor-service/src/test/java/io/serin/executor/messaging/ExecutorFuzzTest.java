package io.serin.executor.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.WebhookGates;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import io.serin.executor.testing.Policies;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.JsonMutator;
import io.serin.testsupport.SimulatedCluster;
import io.smallrye.reactive.messaging.kafka.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command example of docs/examples, mutated by the seeded {@link JsonMutator} (fields removed or
 * null, extremes, huge strings, deep nesting, wrong types, truncated bytes), through the real consumer
 * and handler against a simulated cluster holding the examples' target. No record makes the consumer
 * throw, each ends in exactly one result or one dead letter, and a normal command succeeds afterwards.
 */
class ExecutorFuzzTest {

    private static final int SEEDS = 25;
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static SimulatedCluster cluster;
    private long offset;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedCluster.start(Duration.ofMillis(20));
        ExampleApps.installExamples(cluster.client());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static List<String> examples() {
        try (var files = Files.list(JsonMutator.docs().resolve("examples"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("io.serin.executor.command.")).sorted().toList();
            assertThat(names).hasSize(ExecutorCommand.class.getPermittedSubclasses().length);
            String only = System.getProperty("serin.fuzz.only"); // to reproduce one example's failure
            return only == null ? names : names.stream().filter(n -> n.contains(only)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void noMutationOfACommandStopsTheExecutor(String example) throws Exception {
        byte[] valid = JsonMutator.read(JsonMutator.docs().resolve("examples").resolve(example));
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(0);
        FlakyEmitter<byte[]> deadLetters = new FlakyEmitter<>(0);
        CommandConsumer consumer = consumer(results, deadLetters);
        for (long seed = 0; seed < SEEDS; seed++) {
            byte[] mutated = JsonMutator.mutate(valid, seed);
            int answered = results.written().size() + deadLetters.written().size();
            try {
                consumer.accept(new ConsumerRecord<>(Topics.EXECUTOR_COMMANDS, 0, offset++,
                        Instant.now().toEpochMilli(), TimestampType.CREATE_TIME, 0, 0, "fuzz", mutated,
                        new RecordHeaders(), Optional.empty())).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("seed " + seed + " of " + example + " escaped the consumer: "
                        + new String(mutated, 0, Math.min(mutated.length, 600), StandardCharsets.UTF_8), e);
            }
            assertThat(results.written().size() + deadLetters.written().size())
                    .as("seed %d of %s: one result or one dead letter", seed, example).isEqualTo(answered + 1);
        }

        // afterwards, a normal command on an app of its own is applied and succeeds
        String app = "fuzz-" + example.replace("io.serin.executor.command.", "").replace(".v1.json", "");
        ExampleApps.install(cluster.client(), ExampleApps.NAMESPACE, app, ExampleApps.IMAGE + ":v1", 2);
        ExecutorCommand weight = new ExecutorCommand.SetCanaryWeight("after/step-0", "after",
                new WorkloadRef(WorkloadRef.DEPLOYMENT, ExampleApps.NAMESPACE, app),
                new VersionSpec(ExampleApps.IMAGE + ":v2", null), 50, new TrafficRouting.ReplicaRatio());
        consumer.accept(new ConsumerRecord<>(Topics.EXECUTOR_COMMANDS, 0, offset++, Instant.now().toEpochMilli(),
                TimestampType.CREATE_TIME, 0, 0, "after", COMMANDS.encode(CloudEvent.withId("after/step-0",
                        URI.create("urn:test"), "after", Instant.now(), weight)), new RecordHeaders(), Optional.empty()))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<Record<String, byte[]>> written = results.written();
        assertThat(RESULTS.decode(written.get(written.size() - 1).value()).data())
                .isInstanceOf(ExecutorResult.Succeeded.class);
    }

    private CommandConsumer consumer(FlakyEmitter<Record<String, byte[]>> results, FlakyEmitter<byte[]> deadLetters) {
        Duration api = Duration.ofSeconds(2);
        WebhookGates gates = check -> new WebhookGates.Answer(true, "200");
        CommandConsumer consumer = new CommandConsumer();
        consumer.handler = new CommandHandler(new KubernetesWorkloads(cluster.client(), api),
                new KubernetesServices(cluster.client(), api), new KubernetesRouteReconcilers(cluster.client(), api),
                gates, Duration.ofSeconds(3), Duration.ZERO, Duration.ofDays(3650),
                Policies.allowing(ExampleApps.NAMESPACE, ExampleApps.CHATBOT_NAMESPACE), Clock.systemUTC());
        consumer.config = new TestExecutorConfig();
        consumer.registry = new SimpleMeterRegistry();
        consumer.results = results;
        consumer.deadLetters = deadLetters;
        return consumer;
    }
}
