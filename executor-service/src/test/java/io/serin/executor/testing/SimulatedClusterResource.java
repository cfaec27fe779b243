package io.serin.executor.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SimulatedCluster;

import java.time.Duration;
import java.util.Map;

/**
 * Starts a {@link SimulatedCluster} holding payments/payment-gateway (3 replicas of {@code :v1})
 * and points the executor under test at its API server. One cluster serves every test class of
 * the JVM: the Kubernetes client's API server URL is fixed when Quarkus first builds the
 * application, so each test application must find the cluster at the same address.
 */
public class SimulatedClusterResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SimulatedCluster cluster;

    /** The cluster of the running test application. */
    public static SimulatedCluster cluster() {
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        synchronized (SimulatedClusterResource.class) {
            if (cluster == null) {
                SimulatedCluster started = SimulatedCluster.start(Duration.ofMillis(100));
                ExampleApps.installPaymentGateway(started.client());
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "simulated-cluster-stop"));
                cluster = started;
            }
        }
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", cluster.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // the cluster serves every test class of this JVM and stops with it
    }
}
