package io.serin.analyzer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A packaged analyzer ({@code target/quarkus-app}) run as a child JVM, as it is deployed. */
final class AnalyzerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String label;
    private final int port;
    private final Path log;
    private final Process process;

    private AnalyzerProcess(String label, int port, Path log, Process process) {
        this.label = label;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static AnalyzerProcess start(String label, Path app, Path workDir, String jvmOptions, Map<String, String> config) {
        Path jar = app.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the analyzer first");
        }
        try {
            Files.createDirectories(workDir);
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dkafka-streams.state.dir=" + workDir.resolve("state"));
            config.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar.toString());
            Path log = workDir.resolve("analyzer.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-" + label));
            return new AnalyzerProcess(label, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start analyzer " + label, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited with " + process.exitValue() + "; see " + log);
            }
            if (get("/q/health/ready").startsWith("200")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(label + " not ready within " + timeout + "; see " + log);
    }

    /** A counter or gauge from {@code /q/metrics}, summed over the series whose labels contain {@code labels}. */
    double metric(String name, String labels) {
        String body = get("/q/metrics");
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(body);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + "\n" + r.body();
        } catch (IOException e) {
            return "000 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "000 interrupted";
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
