package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** NGINX canary Ingress annotations, against the mock API server. */
class NginxRouterTest extends RouterTestBase {

    private static final String NGINX = "nginx.ingress.kubernetes.io/";
    private Ingress before;

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.Nginx("payment-gateway");
    }

    @BeforeEach
    void installIngress() {
        before = create(new IngressBuilder()
                .withNewMetadata().withName("payment-gateway")
                    .addToAnnotations(NGINX + "proxy-body-size", "8m").endMetadata()
                .withNewSpec().withIngressClassName("nginx")
                    .addNewTl().withHosts("pay.example.com").withSecretName("pay-tls").endTl()
                    .addNewRule().withHost("pay.example.com").withNewHttp()
                        .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                            .withName("payment-gateway").withNewPort().withNumber(80).endPort().endService()
                            .endBackend().endPath()
                        .addNewPath().withPath("/docs").withPathType("Prefix").withNewBackend().withNewService()
                            .withName("docs").withNewPort().withNumber(80).endPort().endService()
                            .endBackend().endPath()
                    .endHttp().endRule()
                .endSpec().build());
    }

    private Ingress ingress(String name) {
        return kube.network().v1().ingresses().inNamespace(ns).withName(name).get();
    }

    @Test
    void createsACanaryIngressForTheStablePathsWithTheWeight() {
        assertThat(succeeded(weight(25))).isEqualTo(new TrafficState(25, 1, 3));

        Ingress canary = ingress("payment-gateway-canary");
        assertThat(canary.getMetadata().getAnnotations()).containsEntry(NGINX + "canary", "true")
                .containsEntry(NGINX + "canary-weight", "25");
        assertThat(canary.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(canary.getSpec().getRules()).singleElement().satisfies(r -> {
            assertThat(r.getHost()).isEqualTo("pay.example.com");
            assertThat(r.getHttp().getPaths()).singleElement().satisfies(p -> {
                assertThat(p.getPath()).isEqualTo("/");
                assertThat(p.getBackend().getService().getName()).isEqualTo("payment-gateway-canary");
                assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(80);
            });
        });
        assertThat(ingress("payment-gateway").getSpec()).isEqualTo(before.getSpec());
        assertThat(ingress("payment-gateway").getMetadata().getAnnotations())
                .isEqualTo(before.getMetadata().getAnnotations());
        assertThat(service("payment-gateway").getSpec().getSelector())
                .isEqualTo(Map.of("app", "payment-gateway", "serin.io/variant", "stable"));
        assertVariantsApart();

        succeeded(weight(50));
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-weight", "50");
    }

    @Test
    void givesTheSameObjectsAndResultWhenAppliedTwice() {
        TrafficState first = succeeded(weight(25));
        String version = ingress("payment-gateway-canary").getMetadata().getResourceVersion();
        assertThat(succeeded(weight(25))).isEqualTo(first);
        assertThat(ingress("payment-gateway-canary").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void routesByHeaderValuePatternOrCookie() {
        succeeded(weight(10));
        succeeded(header(RouteMatch.header("x-canary", "yes")));
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-by-header", "x-canary")
                .containsEntry(NGINX + "canary-by-header-value", "yes")
                .containsEntry(NGINX + "canary-weight", "10");

        succeeded(header(RouteMatch.headerRegex("x-user", "^qa-")));
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-by-header", "x-user")
                .containsEntry(NGINX + "canary-by-header-pattern", "^qa-")
                .doesNotContainKey(NGINX + "canary-by-header-value");

        succeeded(header(RouteMatch.cookie("beta")));
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-by-cookie", "beta")
                .doesNotContainKeys(NGINX + "canary-by-header", NGINX + "canary-by-header-pattern");
    }

    @Test
    void refusesToMirrorWithAReason() {
        assertThat(handler.handle(mirror(10))).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
            assertThat(f.message()).contains("cannot mirror");
        });
    }

    @Test
    void rollsBackByDeletingTheCanaryIngressServiceAndPods() {
        succeeded(weight(25));
        assertThat(succeeded(rollback())).isEqualTo(new TrafficState(0, 0, 3));
        assertThat(ingress("payment-gateway-canary")).isNull();
        assertThat(service("payment-gateway-canary")).isNull();
        assertThat(deployment("payment-gateway-canary")).isNull();
        assertThat(ingress("payment-gateway").getSpec()).isEqualTo(before.getSpec());
        succeeded(rollback());
    }

    @Test
    void refusesABaselineBeforeChangingAnything() {
        ExecutorResult.Failed f = failed(weightWithBaseline(10), FailureReason.INVALID);
        assertThat(f.message()).contains("cannot run a baseline", "two ways only", "istio or gatewayApi");
        assertThat(deployment("payment-gateway-canary")).isNull();
        assertThat(deployment("payment-gateway-baseline")).isNull();
        assertThat(ingress("payment-gateway-canary")).isNull();
    }

    @Test
    void routesAPathPrefixThroughAPlainIngressOfItsOwn() {
        succeeded(weight(10));
        succeeded(header(RouteMatch.pathPrefix("/v2")));
        String version = version(ingress("payment-gateway-v2"));
        succeeded(header(RouteMatch.pathPrefix("/v2")));
        assertThat(version(ingress("payment-gateway-v2"))).as("applied twice, written once").isEqualTo(version);

        Ingress path = ingress("payment-gateway-v2");
        assertThat(path.getMetadata().getAnnotations()).as("a plain Ingress, not a canary one")
                .doesNotContainKey(NGINX + "canary");
        assertThat(path.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "serin")
                .containsEntry("serin.io/release", "r1");
        assertThat(path.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(path.getSpec().getTls()).isEqualTo(before.getSpec().getTls());
        assertThat(path.getSpec().getRules()).singleElement().satisfies(r -> {
            assertThat(r.getHost()).isEqualTo("pay.example.com");
            assertThat(r.getHttp().getPaths()).singleElement().satisfies(p -> {
                assertThat(p.getPath()).isEqualTo("/v2");
                assertThat(p.getPathType()).isEqualTo("Prefix");
                assertThat(p.getBackend().getService().getName()).isEqualTo("payment-gateway-canary");
                assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(80);
            });
        });
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-weight", "10");
        assertThat(ingress("payment-gateway").getSpec()).isEqualTo(before.getSpec());

        succeeded(header(RouteMatch.pathPrefix("/api/v3")));
        assertThat(ingress("payment-gateway-api-v3")).isNotNull();
        assertThat(ingress("payment-gateway-v2")).as("another prefix adds a route").isNotNull();

        succeeded(rollback());
        assertThat(ingress("payment-gateway-v2")).isNull();
        assertThat(ingress("payment-gateway-api-v3")).isNull();
        assertThat(ingress("payment-gateway")).isNotNull();
    }

    @Test
    void leavesAnIngressOfTheSameNameThatIsNotSerinsAlone() {
        create(new IngressBuilder().withNewMetadata().withName("payment-gateway-v2").endMetadata()
                .withNewSpec().withIngressClassName("nginx").endSpec().build());
        assertThat(failed(header(RouteMatch.pathPrefix("/v2")), FailureReason.INVALID).message())
                .contains("is not Serin's");
        succeeded(rollback());
        assertThat(ingress("payment-gateway-v2")).as("not ours, not deleted").isNotNull();
    }

    @Test
    void reachesTheSameStateAfterARestartHalfWay() {
        // a crash after the canary Ingress was created at weight 0 but before the weight was set
        handler.handle(weight(25));
        kube.network().v1().ingresses().inNamespace(ns).withName("payment-gateway-canary").edit(i -> {
            i.getMetadata().getAnnotations().put(NGINX + "canary-weight", "0");
            return i;
        });
        String canary = version(deployment("payment-gateway-canary"));

        assertThat(succeeded(weight(25))).isEqualTo(new TrafficState(25, 1, 3));
        assertThat(ingress("payment-gateway-canary").getMetadata().getAnnotations())
                .containsEntry(NGINX + "canary-weight", "25");
        assertThat(version(deployment("payment-gateway-canary"))).isEqualTo(canary);
        assertThat(ingress("payment-gateway").getSpec()).isEqualTo(before.getSpec());
    }

    @Test
    void refusesAHeaderRouteWithoutAValue() {
        assertThat(handler.handle(header(new RouteMatch("x-canary", null, null, null))))
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID));
    }
}
