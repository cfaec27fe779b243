package io.serin.analyzer.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serin.events.SourceProblem.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The client against a stub HTTP server: what it sends, and how each kind of failure is reported. */
class PrometheusClientTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:30.250Z");

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicReference<String> form = new AtomicReference<>();
    private final AtomicReference<String> path = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "";
    private volatile boolean hang;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/prom/api/v1/query", this::answer);
        server.createContext("/prom/api/v1/query_range", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        form.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        path.set(exchange.getRequestURI().getPath());
        if (hang) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private PrometheusClient client(Duration timeout) {
        return new PrometheusClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom"),
                Duration.ofSeconds(2), timeout);
    }

    @Test
    void postsTheQueryAtTheWindowEndWithPrometheusOwnTimeout() {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1795322430.25,\"42\"]}]}}";

        QueryResult result = client(Duration.ofSeconds(5)).query("sum(x{a=\"b\"})", T);

        assertThat(result).isEqualTo(new QueryResult.Value(42, null));
        assertThat(URLDecoder.decode(form.get(), StandardCharsets.UTF_8))
                .isEqualTo("query=sum(x{a=\"b\"})&time=" + T.getEpochSecond() + ".25&timeout=5s");
    }

    @Test
    void anErrorStatusIsAQueryError() {
        status = 422;
        body = "{\"status\":\"error\",\"errorType\":\"execution\","
                + "\"error\":\"query timed out in expression evaluation\"}";

        assertThat(client(Duration.ofSeconds(5)).query("x", T)).isEqualTo(new QueryResult.Failed(Reason.QUERY_ERROR,
                "Prometheus answered HTTP 422 execution: query timed out in expression evaluation"));
    }

    @Test
    void noAnswerWithinTheTimeoutIsATimeout() {
        hang = true;

        QueryResult result = client(Duration.ofMillis(300)).query("x", T);

        assertThat(result).isInstanceOf(QueryResult.Failed.class);
        assertThat(((QueryResult.Failed) result).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(((QueryResult.Failed) result).detail()).contains("within 300 ms");
    }

    @Test
    void aServerThatIsNotThereIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        QueryResult result = new PrometheusClient(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2),
                Duration.ofSeconds(2)).query("x", T);

        assertThat(result).isInstanceOf(QueryResult.Failed.class);
        assertThat(((QueryResult.Failed) result).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(((QueryResult.Failed) result).detail()).startsWith("cannot reach http://127.0.0.1:" + closedPort
                + "/api/v1/query");
    }

    @Test
    void postsARangeQueryFromItsFirstToItsLastStepWithPrometheusOwnTimeout() {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1795341620.25,\"100\"],[1795341630.25,\"97\"]]}]}}";

        RangeResult result = client(Duration.ofSeconds(5)).queryRange("sum(x{a=\"b\"})", T.minusSeconds(10), T,
                Duration.ofSeconds(5), 3);

        assertThat(result).isEqualTo(new RangeResult.Steps(Arrays.asList(100.0, null, 97.0)));
        assertThat(path.get()).isEqualTo("/prom/api/v1/query_range");
        assertThat(URLDecoder.decode(form.get(), StandardCharsets.UTF_8)).isEqualTo("query=sum(x{a=\"b\"})&start="
                + (T.getEpochSecond() - 10) + ".25&end=" + T.getEpochSecond() + ".25&step=5&timeout=5s");
    }

    @Test
    void aRangeQueryHasTheSameTimeout() {
        hang = true;

        RangeResult result = client(Duration.ofMillis(300)).queryRange("x", T.minusSeconds(10), T,
                Duration.ofSeconds(5), 3);

        assertThat(result).isInstanceOf(RangeResult.Failed.class);
        assertThat(((RangeResult.Failed) result).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(((RangeResult.Failed) result).detail()).contains("query_range within 300 ms");
    }

    @Test
    void anAnswerLargerThanTheLimitIsInvalidAndNotReadToItsEnd() {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + String.join(",", Collections.nCopies(1_000,
                "{\"metric\":{\"pod\":\"p\"},\"value\":[1795322430.25,\"1\"]}")) + "]}}";
        PrometheusClient small = new PrometheusClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/prom"), Duration.ofSeconds(2), Duration.ofSeconds(5), 10_000);

        assertThat(small.query("x", T)).isEqualTo(new QueryResult.Failed(Reason.INVALID_RESULT, "the answer of "
                + "http://127.0.0.1:" + server.getAddress().getPort() + "/prom/api/v1/query is larger than 10000 bytes; "
                + "aggregate the query to one series"));
        assertThat(small.queryRange("x", T.minusSeconds(10), T, Duration.ofSeconds(5), 3))
                .isInstanceOf(RangeResult.Failed.class)
                .extracting(r -> ((RangeResult.Failed) r).reason()).isEqualTo(Reason.INVALID_RESULT);
        assertThat(client(Duration.ofSeconds(5)).query("x", T)).as("within the default limit: read, and several series")
                .extracting(r -> ((QueryResult.Failed) r).detail()).asString().startsWith("1000 series");
    }
}
