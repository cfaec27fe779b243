package io.serin.executor.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SimulatedCluster;

import java.time.Duration;
import java.util.Map;

/**
 * Starts a {@link SimulatedCluster} holding payments/payment-gateway (3 replicas of {@code :v1})
 * and points the executor under test at its API server.
 */
public class SimulatedClusterResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SimulatedCluster cluster;

    /** The cluster of the running test application. */
    public static SimulatedCluster cluster() {
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(100));
        ExampleApps.installPaymentGateway(cluster.client());
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", cluster.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
