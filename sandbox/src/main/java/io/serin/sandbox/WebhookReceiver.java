package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.serin.events.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A local stand-in for a chat webhook: records every JSON body posted to {@code /hook}. */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> gateCalls = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            // a gate that always opens, remembering how it was called (the URL with its query)
            server.createContext("/gate", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readNBytes(64 * 1024);
                    receiver.gateCalls.add(exchange.getRequestURI().toString());
                    byte[] body = "{\"open\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.createContext("/hook", exchange -> {
                try (exchange) {
                    JsonNode body = EventCodec.mapper().readTree(exchange.getRequestBody());
                    receiver.received.add(body);
                    receiver.listeners.forEach(l -> l.accept(body));
                    exchange.sendResponseHeaders(204, -1);
                } catch (IOException e) {
                    exchange.sendResponseHeaders(400, -1);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start webhook receiver", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** A gate that opens at once: {@code POST /gate}, on loopback. */
    String gateUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gate";
    }

    /** The path and query of every gate call so far. */
    List<String> gateCalls() {
        return List.copyOf(gateCalls);
    }

    /** Every body received so far, in arrival order. */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    void onMessage(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    void remove(Consumer<JsonNode> listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
