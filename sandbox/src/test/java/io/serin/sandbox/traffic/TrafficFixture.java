package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.testsupport.ExampleApps;
import io.serin.testsupport.SimulatedCluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Apps, release copies and routing objects in a simulated cluster, shaped as the executor leaves
 * them (docs/routers.md), and the traffic the model computes for them. Each test gets a namespace
 * of its own, so one cluster serves a whole test class.
 */
final class TrafficFixture implements AutoCloseable {

    static final double RATE = 1000;
    static final String RELEASE = "rel-1";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final SimulatedCluster cluster = SimulatedCluster.start(Duration.ofMillis(10));

    KubernetesClient client() {
        return cluster.client();
    }

    String namespace() {
        return "ns" + NAMESPACES.incrementAndGet();
    }

    /** Deployment and Service {@code app} (selector {@code app: <app>}), image {@code :v1}. */
    void app(String ns, String app, int replicas) {
        ExampleApps.install(client(), ns, app, "registry.example.com/" + app + ":v1", replicas);
    }

    /** The release's copy of {@code app}, as the executor makes it: the app's pod labels plus variant and release. */
    void variant(String ns, String app, String variant, String tag, int replicas) {
        Deployment target = client().apps().deployments().inNamespace(ns).withName(app).get();
        Map<String, String> marks = Map.of("serin.io/release", RELEASE, "serin.io/variant", variant);
        Deployment copy = new DeploymentBuilder()
                .withNewMetadata().withName(app + "-" + variant).withNamespace(ns).withLabels(marks)
                    .withAnnotations(Map.of("serin.io/target", app)).endMetadata()
                .withNewSpecLike(target.getSpec()).withReplicas(replicas)
                    .editSelector().addToMatchLabels("serin.io/variant", variant).endSelector()
                    .editTemplate().editMetadata().addToLabels(marks).endMetadata().endTemplate()
                .endSpec()
                .build();
        copy.getSpec().getTemplate().getSpec().getContainers().get(0)
                .setImage("registry.example.com/" + app + ":" + tag);
        client().resource(copy).create();
    }

    /** What the executor does before routing by variant: the app's pods are labelled stable. */
    void pinStable(String ns, String app) {
        awaitReady(ns);
        client().apps().deployments().inNamespace(ns).withName(app).edit(d -> new DeploymentBuilder(d).editSpec()
                .editTemplate().editMetadata().addToLabels("serin.io/variant", "stable").endMetadata().endTemplate()
                .endSpec().build());
    }

    void service(String ns, String name, Map<String, String> selector) {
        client().resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withSelector(selector).addNewPort().withName("http").withPort(80).endPort().endSpec()
                .build()).createOr(existing -> existing.update());
    }

    /** The app's selector narrowed to a variant, as routers that route by Service leave it. */
    static Map<String, String> selector(String app, String variant) {
        Map<String, String> s = new HashMap<>(Map.of("app", app));
        if (variant != null) {
            s.put("serin.io/variant", variant);
        }
        return s;
    }

    <T extends HasMetadata> T create(T object) {
        return client().resource(object).create();
    }

    static GenericKubernetesResource istio(String kind, String ns, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1").withKind(kind)
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }

    /** A DestinationRule with the subsets Serin adds. */
    void destinationRule(String ns, String host) {
        create(istio("DestinationRule", ns, host, Map.of("host", host, "subsets", List.of(
                subset("stable"), subset("canary"), subset("baseline")))));
    }

    private static Map<String, Object> subset(String variant) {
        return Map.of("name", variant, "labels", Map.of("serin.io/variant", variant));
    }

    static Map<String, Object> destination(String host, String subset, Integer weight) {
        Map<String, Object> d = new HashMap<>();
        d.put("destination", subset == null ? Map.of("host", host, "port", Map.of("number", 80))
                : Map.of("host", host, "subset", subset, "port", Map.of("number", 80)));
        if (weight != null) {
            d.put("weight", weight);
        }
        return d;
    }

    /** Waits until every Deployment of the namespace has all its pods ready. */
    void awaitReady(String ns) {
        await().atMost(Duration.ofSeconds(10)).until(() -> client().apps().deployments().inNamespace(ns).list()
                .getItems().stream().allMatch(d -> d.getStatus() != null
                        && d.getStatus().getReadyReplicas() != null
                        && d.getStatus().getReadyReplicas().equals(d.getSpec().getReplicas())
                        && d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration())));
    }

    AppTraffic traffic(String ns, String app) {
        awaitReady(ns);
        return new TrafficModel(ClientPopulation.DEFAULT, RATE).route(ClusterView.read(client()), ns, app);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
