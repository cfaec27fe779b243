package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Gateway API HTTPRoute weights, header rules and RequestMirror, against the mock API server. */
class GatewayApiRouterTest extends RouterTestBase {

    private HTTPRoute before;

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.GatewayApi("payment-gateway", null);
    }

    @BeforeEach
    void installRoute() {
        before = create(new HTTPRouteBuilder()
                .withNewMetadata().withName("payment-gateway").endMetadata()
                .withNewSpec()
                    .addNewParentRef().withName("edge").withSectionName("https").endParentRef()
                    .withHostnames("pay.example.com")
                    .addNewRule()
                        .addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
                        .addNewBackendRef().withName("payment-gateway").withPort(80).endBackendRef()
                        .withNewTimeouts().withRequest("10s").endTimeouts()
                    .endRule()
                    .addNewRule()
                        .addNewMatch().withNewPath().withType("PathPrefix").withValue("/legacy").endPath().endMatch()
                        .addNewBackendRef().withName("legacy-gateway").withPort(8080).endBackendRef()
                    .endRule()
                .endSpec().build());
    }

    private HTTPRoute httpRoute() {
        return kube.resources(HTTPRoute.class).inNamespace(ns).withName("payment-gateway").get();
    }

    private HTTPRouteRule rule(int i) {
        return httpRoute().getSpec().getRules().get(i);
    }

    private static Map<String, Integer> weights(HTTPRouteRule r) {
        return r.getBackendRefs().stream().collect(Collectors.toMap(HTTPBackendRef::getName,
                b -> b.getWeight() == null ? 1 : b.getWeight()));
    }

    @Test
    void addsTheCanaryServiceAsAWeightedBackendAndLeavesTheOtherRuleAlone() {
        assertThat(succeeded(weight(25))).isEqualTo(new TrafficState(25, 1, 3));

        HTTPRouteRule main = rule(0);
        assertThat(weights(main)).isEqualTo(Map.of("payment-gateway", 75, "payment-gateway-canary", 25));
        assertThat(main.getBackendRefs()).allSatisfy(b -> assertThat(b.getPort()).isEqualTo(80));
        assertThat(main.getTimeouts().getRequest()).isEqualTo("10s");
        assertThat(rule(1)).isEqualTo(before.getSpec().getRules().get(1));
        assertThat(httpRoute().getSpec().getParentRefs()).isEqualTo(before.getSpec().getParentRefs());
        assertThat(httpRoute().getSpec().getHostnames()).containsExactly("pay.example.com");

        assertThat(service("payment-gateway-canary").getSpec().getSelector())
                .isEqualTo(Map.of("app", "payment-gateway", "serin.io/variant", "canary"));
        assertThat(service("payment-gateway-canary").getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
        assertThat(service("payment-gateway").getSpec().getSelector()).as("canary pods leave the stable Service")
                .isEqualTo(Map.of("app", "payment-gateway", "serin.io/variant", "stable"));
        assertVariantsApart();
    }

    @Test
    void givesTheSameObjectsAndResultWhenAppliedTwice() {
        TrafficState first = succeeded(weight(40));
        String route = httpRoute().getMetadata().getResourceVersion();
        String canary = service("payment-gateway-canary").getMetadata().getResourceVersion();
        String stable = service("payment-gateway").getMetadata().getResourceVersion();

        assertThat(succeeded(weight(40))).isEqualTo(first);
        assertThat(httpRoute().getMetadata().getResourceVersion()).isEqualTo(route);
        assertThat(service("payment-gateway-canary").getMetadata().getResourceVersion()).isEqualTo(canary);
        assertThat(service("payment-gateway").getMetadata().getResourceVersion()).isEqualTo(stable);
    }

    @Test
    void addsAHeaderRuleWithTheManagedRulesMatchesPlusTheHeader() {
        succeeded(header(RouteMatch.header("x-canary", "always")));
        succeeded(header(RouteMatch.header("x-canary", "always")));

        assertThat(httpRoute().getSpec().getRules()).hasSize(3);
        HTTPRouteRule header = rule(0);
        assertThat(header.getName()).isEqualTo("serin-header-0");
        assertThat(header.getMatches()).singleElement().satisfies(m -> {
            assertThat(m.getPath().getValue()).isEqualTo("/");
            assertThat(m.getHeaders()).singleElement().satisfies(h -> {
                assertThat(h.getName()).isEqualTo("x-canary");
                assertThat(h.getType()).isEqualTo("Exact");
                assertThat(h.getValue()).isEqualTo("always");
            });
        });
        assertThat(header.getBackendRefs()).singleElement()
                .satisfies(b -> assertThat(b.getName()).isEqualTo("payment-gateway-canary"));
        assertThat(weights(rule(1))).isEqualTo(Map.of("payment-gateway", 1));
    }

    @Test
    void matchesACookieWithARegularExpressionOnTheCookieHeader() {
        succeeded(header(RouteMatch.cookie("beta")));
        var h = rule(0).getMatches().get(0).getHeaders().get(0);
        assertThat(h.getName()).isEqualTo("Cookie");
        assertThat(h.getType()).isEqualTo("RegularExpression");
        // Envoy-based gateways match the whole value: the pattern must hold for the full header
        assertThat("a=b; beta=always").matches(h.getValue());
        assertThat("beta=always; a=b").matches(h.getValue());
        assertThat("beta=always").matches(h.getValue());
        assertThat("beta=never").doesNotMatch(h.getValue());
        assertThat("notbeta=always").doesNotMatch(h.getValue());
    }

    @Test
    void mirrorsAPercentageWithARequestMirrorFilter() {
        assertThat(succeeded(mirror(30)).canaryWeight()).isZero();
        assertThat(rule(0).getFilters()).singleElement().satisfies(f -> {
            assertThat(f.getType()).isEqualTo("RequestMirror");
            assertThat(f.getRequestMirror().getBackendRef().getName()).isEqualTo("payment-gateway-canary");
            assertThat(f.getRequestMirror().getBackendRef().getPort()).isEqualTo(80);
            assertThat(f.getRequestMirror().getPercent()).isEqualTo(30);
        });
        succeeded(mirror(30));
        assertThat(rule(0).getFilters()).hasSize(1);
    }

    @Test
    void rollsBackToTheRuleAsItWasAndRemovesCanaryServiceAndPods() {
        succeeded(weight(25));
        succeeded(header(RouteMatch.headerRegex("x-user", "qa-.*")));
        succeeded(mirror(10));

        assertThat(succeeded(rollback())).isEqualTo(new TrafficState(0, 0, 3));
        assertThat(httpRoute().getSpec().getRules()).isEqualTo(before.getSpec().getRules());
        assertThat(service("payment-gateway-canary")).isNull();
        assertThat(deployment("payment-gateway-canary")).isNull();
        succeeded(rollback());
    }

    @Test
    void addsTheBaselineServiceAsAThirdBackendTakenFromStable() {
        assertThat(succeeded(weightWithBaseline(25))).isEqualTo(new TrafficState(25, 1, 3));

        assertThat(weights(rule(0))).isEqualTo(Map.of("payment-gateway", 50, "payment-gateway-canary", 25,
                "payment-gateway-baseline", 25));
        assertThat(rule(0).getBackendRefs()).allSatisfy(b -> assertThat(b.getPort()).isEqualTo(80));
        assertThat(rule(1)).isEqualTo(before.getSpec().getRules().get(1));
        assertThat(service("payment-gateway-baseline").getSpec().getSelector())
                .isEqualTo(Map.of("app", "payment-gateway", "serin.io/variant", "baseline"));
        assertThat(service("payment-gateway-baseline").getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "serin");
        assertThat(imageOf(deployment("payment-gateway-baseline"))).isEqualTo(IMAGE + "v1");

        succeeded(rollback());
        assertThat(httpRoute().getSpec().getRules()).isEqualTo(before.getSpec().getRules());
        assertThat(service("payment-gateway-baseline")).isNull();
        assertThat(deployment("payment-gateway-baseline")).isNull();
    }

    @Test
    void sendsAPathPrefixToTheCanaryThroughARuleWithTheManagedRulesOtherMatches() {
        succeeded(weight(20));
        succeeded(header(RouteMatch.pathPrefix("/v2")));
        String version = version(httpRoute());
        succeeded(header(RouteMatch.pathPrefix("/v2")));
        assertThat(version(httpRoute())).as("applied twice, written once").isEqualTo(version);

        assertThat(httpRoute().getSpec().getRules()).extracting(HTTPRouteRule::getName)
                .containsExactly("serin-path-v2-0", null, null);
        HTTPRouteRule path = rule(0);
        assertThat(path.getMatches()).singleElement().satisfies(m -> {
            assertThat(m.getPath().getType()).isEqualTo("PathPrefix");
            assertThat(m.getPath().getValue()).isEqualTo("/v2");
        });
        assertThat(path.getBackendRefs()).singleElement().satisfies(b -> {
            assertThat(b.getName()).isEqualTo("payment-gateway-canary");
            assertThat(b.getPort()).isEqualTo(80);
        });
        assertThat(weights(rule(1))).isEqualTo(Map.of("payment-gateway", 80, "payment-gateway-canary", 20));
        assertThat(rule(2)).as("the legacy rule").isEqualTo(before.getSpec().getRules().get(1));

        succeeded(promote());
        assertThat(httpRoute().getSpec().getRules()).isEqualTo(before.getSpec().getRules());
    }

    @Test
    void reachesTheSameStateAfterARestartHalfWay() {
        // a crash after the canary and its Service were ready but before the rule was patched
        handler.handle(weight(25));
        kube.resources(HTTPRoute.class).inNamespace(ns).withName("payment-gateway").edit(r -> {
            r.getSpec().getRules().get(0).getBackendRefs().removeIf(b -> b.getName().endsWith("-canary"));
            r.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(null);
            return r;
        });
        String canaryService = version(service("payment-gateway-canary"));

        assertThat(succeeded(weight(25))).isEqualTo(new TrafficState(25, 1, 3));
        assertThat(weights(rule(0))).isEqualTo(Map.of("payment-gateway", 75, "payment-gateway-canary", 25));
        assertThat(version(service("payment-gateway-canary"))).isEqualTo(canaryService);
        assertThat(rule(1)).isEqualTo(before.getSpec().getRules().get(1));
    }

    @Test
    void failsAsInvalidWhenNoRuleLeadsToTheStableService() {
        ExecutorResult result = handler.handle(new io.serin.events.ExecutorCommand.SetCanaryWeight("x", "r1",
                new io.serin.events.WorkloadRef("Deployment", ns, "payment-gateway"), image("v2"), 25,
                new TrafficRouting.GatewayApi("payment-gateway", 9090)));
        assertThat(result).isInstanceOf(ExecutorResult.Succeeded.class);
        assertThat(rule(0).getBackendRefs()).filteredOn(b -> b.getName().endsWith("-canary")).singleElement()
                .satisfies(b -> assertThat(b.getPort()).as("the configured port").isEqualTo(9090));

        kube.resources(HTTPRoute.class).inNamespace(ns).withName("payment-gateway").edit(r -> {
            r.getSpec().getRules().remove(0);
            return r;
        });
        assertThat(handler.handle(weight(30))).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.INVALID);
            assertThat(f.message()).contains("no rule whose only backend is Service payment-gateway");
        });
    }
}
