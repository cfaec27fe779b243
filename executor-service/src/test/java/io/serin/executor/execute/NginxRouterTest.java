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
    void refusesAHeaderRouteWithoutAValue() {
        assertThat(handler.handle(header(new RouteMatch("x-canary", null, null, null))))
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID));
    }
}
