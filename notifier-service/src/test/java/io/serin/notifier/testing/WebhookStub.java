package io.serin.notifier.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local webhook receiver on 127.0.0.1: records every request and answers with scripted replies,
 * then 200 once the script is used up. A {@link #HANG} reply never answers, to provoke timeouts.
 */
public final class WebhookStub implements AutoCloseable {

    /** A scripted reply that holds the request open until the stub closes. */
    public static final Reply HANG = new Reply(-1, Map.of());

    public record Reply(int status, Map<String, String> headers) {
        public static Reply status(int status) {
            return new Reply(status, Map.of());
        }
    }

    /** @param headers first value of each request header, names in lower case */
    public record Request(String path, String query, String contentType, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private WebhookStub(HttpServer server) {
        this.server = server;
    }

    public static WebhookStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookStub stub = new WebhookStub(server);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to post to, with a fake secret in its query string. */
    public URI url() {
        return url("/hooks/serin?token=s3cr3t");
    }

    /** A URL on this stub with the given path (and query). */
    public URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    public WebhookStub replyWith(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Holds every request from now on (after recording it) until {@link #release()}, as a stalled platform would. */
    public WebhookStub hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    public void release() {
        gate.countDown();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            requests.add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8),
                    headers));
            gate.await(60, TimeUnit.SECONDS);
            Reply reply = script.poll();
            if (reply == null) {
                reply = Reply.status(200);
            }
            if (reply == HANG) {
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        gate.countDown();
        server.stop(0);
    }
}
