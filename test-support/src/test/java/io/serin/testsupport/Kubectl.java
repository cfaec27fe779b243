package io.serin.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real kubectl binary, run against one kubeconfig with its own discovery cache. It must be
 * installed: the CI script installs Debian's kubernetes-client, so a missing binary is a failure.
 */
final class Kubectl {

    private static final long TIMEOUT_SECONDS = 30;

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path dir;

    private Kubectl(Path binary, Path kubeconfig, Path dir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.dir = dir;
    }

    /** kubectl against {@code cluster}, default namespace {@code payments}, files under {@code dir}. */
    static Kubectl against(SimulatedCluster cluster, Path dir) {
        return new Kubectl(binary(), cluster.writeKubeconfig(dir.resolve("kubeconfig"), "payments"), dir);
    }

    private static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isEmpty()).map(Path::of),
                        Stream.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")))
                .map(p -> p.resolve("kubectl")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("kubectl is not installed (on PATH or in /usr/bin): "
                        + "install Debian's kubernetes-client, as .ci/run does"));
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                // the cache is keyed by host and port; a test must never read another server's discovery
                "--cache-dir", dir.resolve("cache").toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "kubectl-", ".out");
            Path err = Files.createTempFile(dir, "kubectl-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s; stderr:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs kubectl and returns its standard output, failing the test unless it exits with 0. */
    String ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result);
        }
        return result.stdout();
    }
}
