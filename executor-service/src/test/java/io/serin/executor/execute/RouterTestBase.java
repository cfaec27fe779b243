package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import io.serin.executor.testing.Policies;
import io.serin.executor.testing.ApiCallRecorder;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SimulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated cluster holding payment-gateway (3 pods of :v1 behind a Service) in a fresh namespace
 * per test, and a handler whose every API call is recorded for the RBAC check.
 */
abstract class RouterTestBase {

    static final String IMAGE = "registry.example.com/payment-gateway:";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    static SimulatedCluster cluster;
    /** The test's own client, for arranging and asserting (not recorded). */
    static KubernetesClient kube;
    /** The executor's client. */
    static KubernetesClient executorClient;

    String ns;
    WorkloadRef target;
    CommandHandler handler;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedCluster.start(Duration.ofMillis(50));
        kube = cluster.client();
        executorClient = ApiCallRecorder.recordingClient(kube);
    }

    @AfterAll
    static void stopCluster() {
        executorClient.close();
        cluster.close();
    }

    @BeforeEach
    void installTarget() {
        ns = getClass().getSimpleName().toLowerCase().replace("test", "") + "-" + NAMESPACES.incrementAndGet();
        ExampleApps.install(kube, ns, "payment-gateway", IMAGE + "v1", 3);
        target = new WorkloadRef(WorkloadRef.DEPLOYMENT, ns, "payment-gateway");
        handler = handler(executorClient, ns);
    }

    static CommandHandler handler(KubernetesClient client, String namespace) {
        Duration api = Duration.ofSeconds(5);
        return new CommandHandler(new KubernetesWorkloads(client, api), new KubernetesServices(client, api),
                new KubernetesRouteReconcilers(client, api), Duration.ofSeconds(10), Policies.allowing(namespace),
                Clock.systemUTC());
    }

    abstract TrafficRouting routing();

    static VersionSpec image(String tag) {
        return new VersionSpec(IMAGE + tag, null);
    }

    TrafficState succeeded(ExecutorCommand command) {
        return succeededWith(command).traffic();
    }

    ExecutorResult.Succeeded succeededWith(ExecutorCommand command) {
        ExecutorResult result = handler.handle(command);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Succeeded.class);
        return (ExecutorResult.Succeeded) result;
    }

    ExecutorResult.Failed failed(ExecutorCommand command, FailureReason reason) {
        ExecutorResult result = handler.handle(command);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ExecutorResult.Failed.class);
        ExecutorResult.Failed failed = (ExecutorResult.Failed) result;
        assertThat(failed.reason()).as(failed.message()).isEqualTo(reason);
        return failed;
    }

    ExecutorCommand.SetCanaryWeight weight(int percent) {
        return new ExecutorCommand.SetCanaryWeight("r1/weight-" + percent, "r1", target, image("v2"), percent,
                routing());
    }

    ExecutorCommand.SetHeaderRoute header(RouteMatch match) {
        return new ExecutorCommand.SetHeaderRoute("r1/header", "r1", target, image("v2"), match, routing());
    }

    ExecutorCommand.SetMirrorRoute mirror(int percent) {
        return new ExecutorCommand.SetMirrorRoute("r1/mirror", "r1", target, image("v2"), percent, routing());
    }

    ExecutorCommand.SetCanaryWeight weightWithBaseline(int percent) {
        return new ExecutorCommand.SetCanaryWeight("r1/weight-" + percent + "-baseline", "r1", target, image("v2"),
                percent, routing(), true);
    }

    ExecutorCommand.SetCanaryScale scale(Integer replicas, Integer percent) {
        return new ExecutorCommand.SetCanaryScale("r1/scale-" + replicas + "-" + percent, "r1", target, image("v2"),
                replicas, percent, routing());
    }

    ExecutorCommand.RollbackCanary rollback() {
        return new ExecutorCommand.RollbackCanary("r1/rollback", "r1", target, routing(), "analysis failed");
    }

    ExecutorCommand.PromoteCanary promote() {
        return new ExecutorCommand.PromoteCanary("r1/promote", "r1", target, image("v2"), routing());
    }

    <T extends HasMetadata> T create(T object) {
        object.getMetadata().setNamespace(ns);
        return kube.resource(object).create();
    }

    Deployment deployment(String name) {
        return kube.apps().deployments().inNamespace(ns).withName(name).get();
    }

    Service service(String name) {
        return kube.services().inNamespace(ns).withName(name).get();
    }

    String version(HasMetadata object) {
        return object.getMetadata().getResourceVersion();
    }

    static String imageOf(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** The label every routed release puts on the target's pods, and where canary pods differ. */
    void assertVariantsApart() {
        assertThat(deployment("payment-gateway").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Canaries.VARIANT_LABEL, Canaries.STABLE);
        assertThat(deployment("payment-gateway-canary").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Canaries.VARIANT_LABEL, Canaries.CANARY);
    }
}
