package io.serin.testsupport;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real kubectl against the simulated cluster holding the sandbox's example apps (issue 7). */
class SimulatedClusterKubectlIT {

    @TempDir
    static Path dir;
    private static SimulatedCluster cluster;
    private static KubernetesClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        cluster = SimulatedCluster.start(Duration.ofMillis(100));
        client = cluster.client();
        ExampleApps.installExamples(client);
        kubectl = Kubectl.against(cluster, dir);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void listsTheDeploymentsOfEveryNamespace() {
        String out = kubectl.ok("get", "deploy", "-A");

        assertThat(out).containsPattern("payments\\s+payment-gateway\\s").containsPattern("support\\s+chatbot\\s");
    }

    @Test
    void listsWorkloadsAndTheirRoutesInOneCommand() {
        String out = kubectl.ok("get", "deploy,svc,virtualservices,httproutes,ingresses", "-A");

        assertThat(out).contains("deployment.apps/payment-gateway", "deployment.apps/chatbot",
                "service/payment-gateway", "service/chatbot",
                "virtualservice.networking.istio.io/payment-gateway", "ingress.networking.k8s.io/chatbot");
    }

    @Test
    void findsKindsByTheirShortNames() {
        String out = kubectl.ok("get", "deploy,svc,vs,dr,ing,ns", "-A");

        assertThat(out).contains("virtualservice.networking.istio.io/payment-gateway",
                "destinationrule.networking.istio.io/payment-gateway", "ingress.networking.k8s.io/chatbot",
                "namespace/payments", "namespace/support");
    }

    @Test
    void readsADeploymentAsJson() {
        String out = kubectl.ok("get", "deploy", "payment-gateway", "-n", "payments", "-o", "json");

        Deployment d = client.getKubernetesSerialization().unmarshal(out, Deployment.class);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(ExampleApps.IMAGE + ":v1");
    }

    @Test
    void describesADeploymentWithItsReplicasAndConditions() {
        String out = kubectl.ok("describe", "deploy", "payment-gateway", "-n", "payments");

        assertThat(out).containsPattern("Name:\\s+payment-gateway").containsPattern("Namespace:\\s+payments")
                .contains("Image:", ExampleApps.IMAGE + ":v1").containsPattern("Replicas:\\s+\\d+ desired")
                .contains("Events:");
    }

    @Test
    void describesTheIngressInFrontOfTheChatbot() {
        String out = kubectl.ok("describe", "ingress", "chatbot", "-n", "support");

        assertThat(out).contains(ExampleApps.CHATBOT_HOST, "chatbot:80").containsPattern("Ingress Class:\\s+nginx");
    }

    @Test
    void scalesADeploymentThroughItsScaleSubresource() {
        String out = kubectl.ok("scale", "deploy/payment-gateway", "--replicas=5", "-n", "payments");

        assertThat(out).contains("deployment.apps/payment-gateway scaled");
        assertThat(paymentGateway().getSpec().getReplicas()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(paymentGateway().getStatus().getReadyReplicas()).isEqualTo(5));

        Kubectl.Result stale = kubectl.run("scale", "deploy/payment-gateway", "--current-replicas=3",
                "--replicas=6", "-n", "payments");
        assertThat(stale.exitCode()).as(stale.toString()).isNotZero();
        assertThat(stale.stderr()).contains("Expected replicas to be 3, was 5");
        assertThat(paymentGateway().getSpec().getReplicas()).isEqualTo(5);
    }

    private static Deployment paymentGateway() {
        return client.apps().deployments().inNamespace(ExampleApps.NAMESPACE).withName(ExampleApps.NAME).get();
    }

    @Test
    void listsEveryServedResourceWithItsShortNamesScopeAndKind() {
        String out = kubectl.ok("api-resources");

        // api-resources shows each group's preferred version only, the first the table lists
        Map<String, ApiDiscovery.Resource> preferred = new LinkedHashMap<>();
        ApiDiscovery.RESOURCES.forEach(r -> preferred.putIfAbsent(r.group() + "/" + r.plural(), r));
        for (ApiDiscovery.Resource r : preferred.values()) {
            String shortNames = r.shortNames().isEmpty() ? "" : Pattern.quote(String.join(",", r.shortNames())) + "\\s+";
            assertThat(out).as(r.plural()).containsPattern(Pattern.compile("(?m)^" + Pattern.quote(r.plural())
                    + "\\s+" + shortNames + Pattern.quote(r.apiVersion()) + "\\s+" + r.namespaced() + "\\s+"
                    + Pattern.quote(r.kind()) + "\\s*$"));
        }
    }

    @Test
    void reportsTheServerVersion() {
        assertThat(kubectl.ok("version")).contains("Server Version: v1.32");
    }
}
