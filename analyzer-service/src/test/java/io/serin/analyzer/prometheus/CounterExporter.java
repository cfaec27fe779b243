package io.serin.analyzer.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serin.events.Variant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A tiny application exporting, in Prometheus' text format, request and error counters per
 * workload and variant that grow at fixed rates with the wall clock, so what it counted over any
 * window is rate x window, whenever Prometheus scrapes it.
 */
final class CounterExporter implements AutoCloseable {

    static final String NAMESPACE = "shop";
    static final double REQUESTS_PER_SECOND = 20;
    static final double CANARY_ERRORS_PER_SECOND = 5;
    static final double OTHER_ERRORS_PER_SECOND = 1;

    private final HttpServer server;
    private final List<String> workloads;
    private final long startNanos = System.nanoTime();

    CounterExporter(List<String> workloads) {
        this.workloads = List.copyOf(workloads);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test exporter", e);
        }
        server.createContext("/metrics", this::serve);
        server.start();
    }

    static double errorsPerSecond(Variant variant) {
        return variant == Variant.CANARY ? CANARY_ERRORS_PER_SECOND : OTHER_ERRORS_PER_SECOND;
    }

    /** host:port for a scrape config. */
    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        StringBuilder out = new StringBuilder();
        out.append("# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n");
        for (String workload : workloads) {
            for (Variant v : Variant.values()) {
                out.append(line("http_requests_total", workload, v, REQUESTS_PER_SECOND * seconds));
            }
        }
        out.append("# HELP http_errors_total Requests that failed.\n# TYPE http_errors_total counter\n");
        for (String workload : workloads) {
            for (Variant v : Variant.values()) {
                out.append(line("http_errors_total", workload, v, errorsPerSecond(v) * seconds));
            }
        }
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String line(String name, String workload, Variant variant, double value) {
        return String.format(Locale.ROOT, "%s{namespace=\"%s\",workload=\"%s\",variant=\"%s\"} %.6f%n", name,
                NAMESPACE, workload, variant.label(), value);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
