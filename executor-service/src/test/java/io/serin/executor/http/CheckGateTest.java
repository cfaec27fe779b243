package io.serin.executor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.Gates;
import io.serin.events.VersionSpec;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.WebhookGates;
import io.serin.executor.testing.Policies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CheckGate against a local HTTP server: go on 2xx, GATE_CLOSED on anything else; FORBIDDEN, without
 * a call, for a destination the gate rule or the network rule refuses.
 */
class CheckGateTest {

    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    private static final VersionSpec V2 = new VersionSpec("registry.example.com/payment-gateway:v2", null);

    private HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile boolean slow;
    private volatile boolean huge;
    private CommandHandler handler;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/gate", this::answer);
        server.start();
        // no Kubernetes adapter at all: a gate must not need one
        handler = handler(HttpWebhookGates.of(Map.of(), List.of("127.0.0.1"), List.of("127.0.0.1/32")));
    }

    /** No Kubernetes adapter at all: a gate must not need one. */
    static CommandHandler handler(WebhookGates gates) {
        return new CommandHandler(null, null, null, gates, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofMinutes(15), Policies.allowing("payments"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().entrySet());
        if (status == 302) {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort()
                    + "/elsewhere");
        }
        if (slow) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = (huge ? "x".repeat(5_000_000) : status < 300 ? "go" : "freeze until Monday")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the executor stopped reading a huge answer: as it should
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gate";
    }

    private ExecutorResult check(Webhook webhook) {
        return handler.handle(new ExecutorCommand.CheckGate("r1/gate", "r1", TARGET, V2, Gates.BEFORE_PROMOTION,
                webhook));
    }

    private ExecutorResult.Failed closed(ExecutorResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Failed.class);
        ExecutorResult.Failed failed = (ExecutorResult.Failed) result;
        assertThat(failed.reason()).as(failed.message()).isEqualTo(FailureReason.GATE_CLOSED);
        return failed;
    }

    @Test
    void goesOnWhenTheGateAnswers2xxAndTellsItWhatIsAsked() throws IOException {
        status = 204;
        ExecutorResult result = check(new Webhook(url()));

        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Succeeded.class, ok -> {
            assertThat(ok.summary()).startsWith("gate beforePromotion says go").contains("204");
            assertThat(ok.traffic()).isNull();
        });
        JsonNode body = new ObjectMapper().readTree(bodies.get(0));
        assertThat(body.get("releaseId").asText()).isEqualTo("r1");
        assertThat(body.get("gate").asText()).isEqualTo("beforePromotion");
        assertThat(body.get("target").get("namespace").asText()).isEqualTo("payments");
        assertThat(body.get("target").get("name").asText()).isEqualTo("payment-gateway");
        assertThat(body.get("to").get("image").asText()).isEqualTo(V2.image());
    }

    @Test
    void staysClosedOnAnyOtherAnswerWithItsStatus() {
        status = 500;
        assertThat(closed(check(new Webhook(url()))).message())
                .contains("gate beforePromotion says not yet", "500", "freeze until Monday");
        status = 302;
        assertThat(closed(check(new Webhook(url()))).message()).contains("302");
        assertThat(requests).as("no redirect followed").hasSize(2).noneMatch(r -> r.contains("elsewhere"));
    }

    @Test
    void staysClosedWhenTheGateAnswersTooLate() {
        slow = true;
        long start = System.nanoTime();
        ExecutorResult result = check(new Webhook(url(), Duration.ofMillis(300), null));
        assertThat(closed(result).message()).contains("did not answer within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void showsTheGateWithoutItsCredentialsAndReadsOnlyTheStartOfAHugeAnswer() {
        status = 500;
        huge = true;
        String url = "http://ops:s3cr3t@127.0.0.1:" + server.getAddress().getPort() + "/gate?token=s3cr3t";
        String message = closed(check(new Webhook(url))).message();
        assertThat(message).doesNotContain("s3cr3t", "ops:").contains("/gate", "500").hasSizeLessThan(1_000);
    }

    @Test
    void readsAtMost4KiBOfAnAnswer() throws IOException {
        huge = true;
        PinnedHttp.Response response = PinnedHttp.post(java.net.URI.create(url()), InetAddress.getLoopbackAddress(),
                Map.of(), new byte[0], Duration.ofSeconds(5), HttpWebhookGates.MAX_ANSWER_BYTES,
                (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(4096);
    }

    @Test
    void asksANamedGateWithTheSecretsOfTheConfigurationWhichTheRequestNeverCarries() {
        String secretUrl = url() + "?token=s3cr3t";
        handler = handler(HttpWebhookGates.of(Map.of("smoke-tests", new HttpWebhookGates.Named(secretUrl,
                Optional.of(Duration.ofSeconds(2)), Map.of("X-Gate-Token", "h3ad3r"))), List.of(), List.of("127.0.0.1/32")));

        ExecutorResult result = check(new Webhook("gate:smoke-tests"));

        assertThat(result).isInstanceOfSatisfying(ExecutorResult.Succeeded.class,
                ok -> assertThat(ok.summary()).contains("/gate", "200").doesNotContain("s3cr3t", "h3ad3r"));
        assertThat(requests).singleElement().satisfies(r -> assertThat(r).contains("token=s3cr3t", "h3ad3r"));
    }

    @Test
    void refusesANamedGateItDoesNotKnowNamingTheRule() {
        handler = handler(HttpWebhookGates.of(Map.of("smoke-tests", new HttpWebhookGates.Named(url(),
                Optional.empty(), Map.of())), List.of(), List.of("127.0.0.1/32")));
        assertThat(forbidden(check(new Webhook("gate:other?token=s3cr3t"))).message())
                .contains("unknown named gate 'other'", "smoke-tests").doesNotContain("s3cr3t");
        assertThat(bodies).isEmpty();
    }

    @Test
    void refusesAPlainUrlWhoseHostIsNotAllowedWithoutCallingIt() {
        String localhost = "http://localhost:" + server.getAddress().getPort() + "/gate?token=s3cr3t";
        assertThat(forbidden(check(new Webhook(localhost))).message())
                .contains("host 'localhost'", "is not allowed", "serin.executor.gates.allowed-hosts")
                .doesNotContain("s3cr3t");
        handler = handler(HttpWebhookGates.of(Map.of(), List.of(), List.of("127.0.0.1/32")));
        assertThat(forbidden(check(new Webhook(url()))).message()).contains("host '127.0.0.1'", "none");
        assertThat(bodies).isEmpty();
    }

    @Test
    void refusesAGateOnTheLoopbackUnlessItsNetworkIsAllowedNamedOrNot() {
        handler = handler(HttpWebhookGates.of(Map.of("local", new HttpWebhookGates.Named(url(), Optional.empty(),
                Map.of())), List.of("127.0.0.1"), List.of()));
        assertThat(forbidden(check(new Webhook(url()))).message()).contains("blocked network", "127.0.0.1",
                "serin.executor.gates.allowed-networks");
        assertThat(forbidden(check(new Webhook("gate:local"))).message()).contains("blocked network");
        assertThat(bodies).isEmpty();
    }

    @Test
    void refusesAHostWithAnyAddressInABlockedNetwork() throws Exception {
        InetAddress[] answer = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("169.254.169.254")};
        handler = handler(new HttpWebhookGates(new GateDestinations(Map.of(), List.of("*.example.com")),
                new Networks(List.of()), host -> answer));
        assertThat(forbidden(check(new Webhook("https://ci.example.com/hook"))).message())
                .contains("169.254.169.254", "blocked network");
    }

    @Test
    void connectsToTheAddressItCheckedWhateverTheNameResolvesToLater() {
        // a rebinding DNS server: a harmless address for the check, the metadata service afterwards
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpWebhookGates.Resolver rebinding = host -> {
            asked.add(host);
            return new InetAddress[] {asked.size() == 1 ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName("169.254.169.254")};
        };
        handler = handler(new HttpWebhookGates(new GateDestinations(Map.of(), List.of("gate.test")),
                new Networks(List.of("127.0.0.1/32")), rebinding));

        ExecutorResult result = check(new Webhook("http://gate.test:" + server.getAddress().getPort() + "/gate"));

        assertThat(result).isInstanceOf(ExecutorResult.Succeeded.class);
        assertThat(asked).containsExactly("gate.test");
        assertThat(requests).singleElement().satisfies(r -> assertThat(r).contains("gate.test"));
    }

    @Test
    void capsEveryTimeoutWhoeverAskedForIt() {
        assertThat(GateDestinations.capped(Duration.ofHours(2))).isEqualTo(io.serin.events.Limits.MAX_GATE_TIMEOUT);
        assertThat(GateDestinations.capped(null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(GateDestinations.capped(Duration.ofSeconds(-1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(GateDestinations.capped(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        GateDestinations named = new GateDestinations(Map.of("slow", new HttpWebhookGates.Named(url(),
                Optional.of(Duration.ofDays(1)), Map.of())), List.of());
        assertThat(named.of(new ExecutorCommand.CheckGate("r1/gate", "r1", TARGET, V2, Gates.BEFORE_PROMOTION,
                new Webhook("gate:slow"))).timeout()).isEqualTo(io.serin.events.Limits.MAX_GATE_TIMEOUT);
    }

    private ExecutorResult.Failed forbidden(ExecutorResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Failed.class);
        ExecutorResult.Failed failed = (ExecutorResult.Failed) result;
        assertThat(failed.reason()).as(failed.message()).isEqualTo(FailureReason.FORBIDDEN);
        assertThat(failed.message()).contains("refused");
        return failed;
    }

    @Test
    void staysClosedWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThat(closed(check(new Webhook("http://127.0.0.1:" + port + "/gate"))).message())
                .contains("cannot connect to http://127.0.0.1:" + port);
    }

    @Test
    void refusesAWebhookWithoutAUsableUrl() {
        assertThat(handler.handle(new ExecutorCommand.CheckGate("r1/gate", "r1", TARGET, V2, Gates.BEFORE_ROLLOUT,
                null))).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
                    assertThat(f.message()).contains("no webhook url");
                });
        assertThat(check(new Webhook("ftp://gates.example.com/x"))).isInstanceOfSatisfying(ExecutorResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID));
        assertThat(bodies).isEmpty();
    }
}
