package io.serin.analyzer.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's binary, which .ci/run installs) on a free loopback port, with
 * its own config and storage in a temporary directory, scraping one target every second. A missing
 * binary fails the test: nothing is skipped for want of Prometheus.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("serin.prometheus.binary", "/usr/bin/prometheus"));
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final Process process;
    private final URI url;
    private final Thread reaper;

    private PrometheusServer(Path dir, Process process, URI url) {
        this.dir = dir;
        this.process = process;
        this.url = url;
        // should a test die without closing it, the server still goes with the JVM
        this.reaper = new Thread(process::destroyForcibly, "prometheus-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts Prometheus scraping {@code target} (host:port) every second and waits until it has data. */
    static PrometheusServer start(String target) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("no Prometheus server at " + BINARY + ": install Debian's 'prometheus' "
                    + "package (.ci/run does) or set -Dserin.prometheus.binary");
        }
        PrometheusServer server = null;
        try {
            Path dir = Files.createTempDirectory("serin-prometheus-");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n", List.of(
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "scrape_configs:",
                    "  - job_name: exporter",
                    "    scrape_interval: 1s",
                    "    static_configs:",
                    "      - targets: ['" + target + "']",
                    "")));
            int port = freePort();
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            server = new PrometheusServer(dir, process, URI.create("http://127.0.0.1:" + port));
            server.awaitScraped();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            String log = server == null ? "" : server.log();
            if (server != null) {
                server.close();
            }
            throw new IllegalStateException("Prometheus did not start: " + e.getMessage() + "\n" + log, e);
        }
    }

    URI url() {
        return url;
    }

    /** Ready, and the exporter scraped at least three times, so the first window of a test has data. */
    private void awaitScraped() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue());
            }
            String body = get("/api/v1/query?query=" + URLEncoder.encode(
                    "count_over_time(up{job=\"exporter\"}[1m]) >= 3 and up{job=\"exporter\"} == 1",
                    StandardCharsets.UTF_8));
            return body.contains("\"result\":[{");
        });
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs anyway
            }
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
