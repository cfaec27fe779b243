package io.serin.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;

/**
 * A stand-in for a Kubernetes cluster: the fabric8 API server in CRUD mode (objects are stored,
 * listed, watched, patched) plus a {@link KubeletSimulator} doing what controllers and kubelets
 * would. Code under test talks to it over HTTP exactly as to a real API server; it also answers
 * API discovery ({@link ApiDiscovery}) and {@code deployments/scale}, so kubectl works against it.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final KubeletSimulator kubelet;

    private SimulatedCluster(KubernetesMockServer server, KubernetesClient client, KubeletSimulator kubelet) {
        this.server = server;
        this.client = client;
        this.kubelet = kubelet;
    }

    /** Starts the API server on a free loopback port; Deployments become ready after {@code readyDelay}. */
    public static SimulatedCluster start(Duration readyDelay) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ClusterDispatcher(), false);
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the Kubernetes mock API server", e);
        }
        KubernetesClient client = server.createClient();
        KubeletSimulator kubelet = KubeletSimulator.start(client, readyDelay);
        return new SimulatedCluster(server, client, kubelet);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** The API server's URL, for {@code quarkus.kubernetes-client.api-server-url} or a kubeconfig. */
    public String url() {
        return client.getConfiguration().getMasterUrl();
    }

    /** Writes a kubeconfig that points kubectl at this server, with {@code namespace} as the default. */
    public Path writeKubeconfig(Path file, String namespace) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, String.join("\n",
                    "apiVersion: v1",
                    "kind: Config",
                    "clusters:",
                    "- name: serin-simulated",
                    "  cluster:",
                    "    server: " + url(),
                    "contexts:",
                    "- name: serin-simulated",
                    "  context:",
                    "    cluster: serin-simulated",
                    "    user: serin-simulated",
                    "    namespace: " + namespace,
                    "current-context: serin-simulated",
                    "users:",
                    "- name: serin-simulated",
                    "  user:",
                    // the server checks no credentials; kubectl only wants some
                    "    token: simulated",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file, e);
        }
    }

    /** A client for arranging and asserting cluster state. */
    public KubernetesClient client() {
        return client;
    }

    public KubeletSimulator kubelet() {
        return kubelet;
    }

    @Override
    public void close() {
        kubelet.close();
        client.close();
        server.destroy();
    }
}
