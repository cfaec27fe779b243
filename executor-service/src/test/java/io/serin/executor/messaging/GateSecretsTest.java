package io.serin.executor.messaging;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.Topics;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.WebhookGates;
import io.serin.executor.http.HttpWebhookGates;
import io.serin.executor.testing.Policies;
import io.smallrye.reactive.messaging.kafka.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gate URL may carry a token in its user info and its query. Whatever becomes of the gate (go,
 * not yet, too slow, unreachable, refused by a rule, unusable, an adapter that throws with the URL in
 * its message), the token appears in no result and in no log line.
 */
class GateSecretsTest {

    private static final String SECRET = "s3cr3t";
    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringWriter text = new StringWriter().append(String.valueOf(record.getMessage())).append(' ')
                    .append(Arrays.toString(record.getParameters()));
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(text));
            }
            logged.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpServer server;
    private long offset;

    @BeforeEach
    void start() throws IOException {
        Logger.getLogger("").addHandler(capture);
        capture.setLevel(Level.ALL);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/go", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/no", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        server.stop(0);
    }

    private String url(String host, int port, String path) {
        return "http://ops:user-" + SECRET + "@" + host + ":" + port + path + "?token=query-" + SECRET + "#" + SECRET;
    }

    @Test
    void neverShowsTheTokensOfAGateUrlInAResultOrALogLine() throws Exception {
        int port = server.getAddress().getPort();
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        FlakyEmitter<Record<String, byte[]>> results = new FlakyEmitter<>(1);
        CommandConsumer guarded = consumer(HttpWebhookGates.of(Map.of(), List.of("127.0.0.1"),
                List.of("127.0.0.1/32")), results);
        CommandConsumer blocked = consumer(HttpWebhookGates.of(Map.of(), List.of("127.0.0.1"), List.of()), results);
        CommandConsumer throwing = consumer(check -> {
            throw new IllegalStateException("cannot ask " + check.webhook().url(), new IOException("at "
                    + check.webhook().url()));
        }, results);

        answer(guarded, gate("go", new Webhook(url("127.0.0.1", port, "/go"))));
        answer(guarded, gate("no", new Webhook(url("127.0.0.1", port, "/no"))));
        answer(guarded, gate("slow", new Webhook(url("127.0.0.1", port, "/slow"), Duration.ofMillis(300), null)));
        answer(guarded, gate("closed", new Webhook(url("127.0.0.1", closedPort, "/go"))));
        answer(guarded, gate("host", new Webhook(url("localhost", port, "/go"))));
        answer(guarded, gate("unusable", new Webhook(url("127.0.0.1", port, "/g o"))));
        answer(guarded, gate("named", new Webhook("gate:nope?token=query-" + SECRET)));
        answer(blocked, gate("network", new Webhook(url("127.0.0.1", port, "/go"))));
        answer(throwing, gate("throws", new Webhook(url("127.0.0.1", port, "/go"))));

        List<String> shown = results.written().stream().map(r -> RESULTS.decode(r.value()).data())
                .map(r -> r instanceof ExecutorResult.Failed f ? f.message() : ((ExecutorResult.Succeeded) r).summary())
                .toList();
        assertThat(shown).hasSize(9).allSatisfy(m -> assertThat(m).doesNotContain(SECRET, "ops:"));
        assertThat(shown).anySatisfy(m -> assertThat(m).contains("http://127.0.0.1:" + port + "/go answered 200"));
        assertThat(logged).as("the executor logged each gate").hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(line -> assertThat(line).doesNotContain(SECRET));
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("cannot ask http://127.0.0.1:" + port + "/go"));
    }

    private ExecutorCommand.CheckGate gate(String release, Webhook webhook) {
        return new ExecutorCommand.CheckGate(release + "/gate-0", release, TARGET, null, "beforePromotion", webhook);
    }

    private void answer(CommandConsumer consumer, ExecutorCommand command) throws Exception {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.EXECUTOR_COMMANDS, 0, offset++,
                Instant.now().toEpochMilli(), TimestampType.CREATE_TIME, 0, 0, command.releaseId(),
                COMMANDS.encode(CloudEvent.withId(command.commandId(), URI.create("urn:test"), command.releaseId(),
                        Instant.now(), command)), new RecordHeaders(), Optional.empty());
        consumer.accept(record).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static CommandConsumer consumer(WebhookGates gates, FlakyEmitter<Record<String, byte[]>> results) {
        CommandConsumer consumer = new CommandConsumer();
        consumer.handler = new CommandHandler(null, null, null, gates, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(15), Policies.allowing("payments"), Clock.systemUTC());
        consumer.config = new TestExecutorConfig();
        consumer.registry = new SimpleMeterRegistry();
        consumer.results = results;
        consumer.deadLetters = new FlakyEmitter<>(0);
        return consumer;
    }
}
