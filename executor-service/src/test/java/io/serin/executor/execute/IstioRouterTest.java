package io.serin.executor.execute;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.DestinationRuleBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Istio VirtualService weights, header routes and mirrors, against the mock API server. */
class IstioRouterTest extends RouterTestBase {

    private VirtualService before;

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.Istio("payment-gateway", null, "payment-gateway", null);
    }

    @BeforeEach
    void installRoutes() {
        before = create(new VirtualServiceBuilder()
                .withNewMetadata().withName("payment-gateway").addToAnnotations("team", "payments").endMetadata()
                .withNewSpec().withHosts("payment-gateway", "pay.example.com").withGateways("mesh", "edge")
                    .addNewHttp().withName("admin")
                        .addNewMatch().withNewUri().withNewStringMatchPrefixType("/admin").endUri().endMatch()
                        .addNewRoute().withNewDestination().withHost("admin-console").endDestination().endRoute()
                    .endHttp()
                    .addNewHttp().withName("primary").withTimeout("5s")
                        .addNewMatch().withNewUri().withNewStringMatchPrefixType("/").endUri().endMatch()
                        .addNewRoute().withNewDestination().withHost("payment-gateway").withNewPort(80L)
                            .endDestination().endRoute()
                    .endHttp()
                .endSpec().build());
        create(new DestinationRuleBuilder()
                .withNewMetadata().withName("payment-gateway").endMetadata()
                .withNewSpec().withHost("payment-gateway")
                    .withNewTrafficPolicy().withNewConnectionPool().withNewHttp().withMaxRetries(3).endHttp()
                        .endConnectionPool().endTrafficPolicy()
                    .addNewSubset().withName("legacy").withLabels(Map.of("version", "v0")).endSubset()
                .endSpec().build());
    }

    private VirtualService vs() {
        return kube.resources(VirtualService.class).inNamespace(ns).withName("payment-gateway").get();
    }

    private DestinationRule dr() {
        return kube.resources(DestinationRule.class).inNamespace(ns).withName("payment-gateway").get();
    }

    private HTTPRoute route(String name) {
        return vs().getSpec().getHttp().stream().filter(r -> name.equals(r.getName())).findFirst().orElseThrow();
    }

    private static Map<String, Integer> weights(HTTPRoute r) {
        return r.getRoute().stream().collect(java.util.stream.Collectors.toMap(
                d -> d.getDestination().getSubset(), HTTPRouteDestination::getWeight));
    }

    @Test
    void weightsTheManagedRouteBetweenStableAndCanarySubsetsAndLeavesTheRestAlone() {
        TrafficState traffic = succeeded(weight(25));

        assertThat(traffic).isEqualTo(new TrafficState(25, 1, 3));
        HTTPRoute primary = route("primary");
        assertThat(weights(primary)).containsExactlyInAnyOrderEntriesOf(Map.of("stable", 75, "canary", 25));
        assertThat(primary.getRoute()).allSatisfy(d -> {
            assertThat(d.getDestination().getHost()).isEqualTo("payment-gateway");
            assertThat(d.getDestination().getPort().getNumber()).isEqualTo(80L);
        });
        assertThat(primary.getTimeout()).isEqualTo("5s");
        assertThat(primary.getMatch()).isEqualTo(before.getSpec().getHttp().get(1).getMatch());
        assertThat(route("admin")).isEqualTo(before.getSpec().getHttp().get(0));
        assertThat(vs().getSpec().getHosts()).containsExactly("payment-gateway", "pay.example.com");
        assertThat(vs().getSpec().getGateways()).containsExactly("mesh", "edge");
        assertThat(vs().getMetadata().getAnnotations()).containsEntry("team", "payments");

        assertThat(dr().getSpec().getSubsets()).extracting(Subset::getName).containsExactly("legacy", "stable", "canary");
        assertThat(dr().getSpec().getSubsets()).filteredOn(s -> s.getName().equals("canary")).singleElement()
                .satisfies(s -> assertThat(s.getLabels()).isEqualTo(Map.of("serin.io/variant", "canary")));
        assertThat(dr().getSpec().getTrafficPolicy().getConnectionPool().getHttp().getMaxRetries()).isEqualTo(3);
        assertVariantsApart();
        assertThat(deployment("payment-gateway-canary").getSpec().getReplicas()).isEqualTo(1);

        succeeded(weight(60));
        assertThat(weights(route("primary"))).containsExactlyInAnyOrderEntriesOf(Map.of("stable", 40, "canary", 60));
        assertThat(deployment("payment-gateway-canary").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void givesTheSameObjectsAndResultWhenAppliedTwice() {
        TrafficState first = succeeded(weight(25));
        String vsVersion = vs().getMetadata().getResourceVersion();
        String drVersion = dr().getMetadata().getResourceVersion();
        String canaryVersion = deployment("payment-gateway-canary").getMetadata().getResourceVersion();

        assertThat(succeeded(weight(25))).isEqualTo(first);
        assertThat(vs().getMetadata().getResourceVersion()).isEqualTo(vsVersion);
        assertThat(dr().getMetadata().getResourceVersion()).isEqualTo(drVersion);
        assertThat(deployment("payment-gateway-canary").getMetadata().getResourceVersion()).isEqualTo(canaryVersion);
    }

    @Test
    void createsTheDestinationRuleWhenThereIsNone() {
        kube.resources(DestinationRule.class).inNamespace(ns).withName("payment-gateway").delete();
        org.awaitility.Awaitility.await().until(() -> dr() == null);
        succeeded(weight(10));
        assertThat(dr().getSpec().getHost()).isEqualTo("payment-gateway");
        assertThat(dr().getSpec().getSubsets()).extracting(Subset::getName).containsExactly("stable", "canary");
        assertThat(dr().getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "serin");
    }

    @Test
    void sendsRequestsWithTheHeaderToTheCanaryThroughARouteBeforeTheManagedOne() {
        succeeded(weight(10));
        assertThat(succeeded(header(RouteMatch.header("X-Canary", "always"))).canaryWeight()).isEqualTo(10);
        String version = vs().getMetadata().getResourceVersion();
        succeeded(header(RouteMatch.header("X-Canary", "always")));
        assertThat(vs().getMetadata().getResourceVersion()).as("applied twice, written once").isEqualTo(version);

        List<HTTPRoute> http = vs().getSpec().getHttp();
        assertThat(http).extracting(HTTPRoute::getName).containsExactly("admin", "serin-header-0", "primary");
        HTTPRoute header = http.get(1);
        assertThat(header.getMatch()).singleElement().satisfies(m -> {
            assertThat(((StringMatchPrefix) m.getUri().getMatchType()).getPrefix()).isEqualTo("/");
            assertThat(((StringMatchExact) m.getHeaders().get("x-canary").getMatchType()).getExact())
                    .isEqualTo("always");
        });
        assertThat(header.getRoute()).singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isEqualTo("canary"));
        assertThat(weights(route("primary"))).containsExactlyInAnyOrderEntriesOf(Map.of("stable", 90, "canary", 10));
    }

    @Test
    void matchesACookieWithARegexOnTheCookieHeader() {
        succeeded(header(RouteMatch.cookie("beta")));
        HTTPRoute header = route("serin-header-0");
        String regex = ((StringMatchRegex) header.getMatch().get(0).getHeaders().get("cookie").getMatchType())
                .getRegex();
        assertThat("session=1; beta=always").matches(regex);
        assertThat("beta=never").doesNotMatch(regex);
        assertThat(route("primary").getRoute()).as("the rest stays on stable").singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isEqualTo("stable"));
    }

    @Test
    void mirrorsAPercentageToTheCanarySubset() {
        assertThat(succeeded(mirror(20)).canaryWeight()).isZero();
        HTTPRoute primary = route("primary");
        assertThat(primary.getMirror().getSubset()).isEqualTo("canary");
        assertThat(primary.getMirror().getHost()).isEqualTo("payment-gateway");
        assertThat(primary.getMirrorPercentage().getValue()).isEqualTo(20.0);
        assertThat(route("admin").getMirror()).isNull();
    }

    @Test
    void rollsBackToTheRoutesAsTheyWereThenRemovesTheCanary() {
        succeeded(weight(25));
        succeeded(header(RouteMatch.headerRegex("x-user", "^qa-.*")));
        succeeded(mirror(50));

        assertThat(succeeded(rollback())).isEqualTo(new TrafficState(0, 0, 3));
        assertThat(vs().getSpec().getHttp()).extracting(HTTPRoute::getName).containsExactly("admin", "primary");
        HTTPRoute primary = route("primary");
        assertThat(primary.getRoute()).singleElement().satisfies(d -> {
            assertThat(d.getDestination().getSubset()).as("the whole host, as before the release").isNull();
            assertThat(d.getWeight()).isNull();
        });
        assertThat(primary.getMirror()).isNull();
        assertThat(primary.getMirrorPercentage()).isNull();
        assertThat(deployment("payment-gateway-canary")).isNull();
        succeeded(rollback());
    }

    @Test
    void promotesTheTargetBeforeTakingTrafficOffTheCanary() {
        succeeded(weight(25));
        succeeded(promote());
        assertThat(deployment("payment-gateway").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(IMAGE + "v2");
        assertThat(route("primary").getRoute()).singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isNull());
        assertThat(deployment("payment-gateway-canary")).isNull();
    }

    @Test
    void reachesTheSameStateAfterARestartHalfWay() {
        // a crash after the canary was scaled but before the route was patched
        handler.handle(weight(25));
        kube.resources(VirtualService.class).inNamespace(ns).withName("payment-gateway").edit(v -> {
            v.getSpec().getHttp().get(1).getRoute().removeIf(d -> "canary".equals(d.getDestination().getSubset()));
            v.getSpec().getHttp().get(1).getRoute().get(0).setWeight(null);
            return v;
        });
        assertThat(succeeded(weight(25))).isEqualTo(new TrafficState(25, 1, 3));
        assertThat(weights(route("primary"))).containsExactlyInAnyOrderEntriesOf(Map.of("stable", 75, "canary", 25));
    }

    @Test
    void splitsThreeWaysWithABaselineOfTheCurrentVersion() {
        assertThat(succeeded(weightWithBaseline(20))).isEqualTo(new TrafficState(20, 1, 3));

        assertThat(weights(route("primary"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("stable", 60, "canary", 20, "baseline", 20));
        assertThat(dr().getSpec().getSubsets()).extracting(Subset::getName)
                .containsExactly("legacy", "stable", "canary", "baseline");
        assertThat(dr().getSpec().getSubsets()).filteredOn(sub -> sub.getName().equals("baseline")).singleElement()
                .satisfies(sub -> assertThat(sub.getLabels()).isEqualTo(Map.of("serin.io/variant", "baseline")));
        Deployment baseline = deployment("payment-gateway-baseline");
        assertThat(imageOf(baseline)).as("the current version").isEqualTo(IMAGE + "v1");
        assertThat(baseline.getSpec().getReplicas()).as("the canary's size").isEqualTo(1);
        assertThat(baseline.getMetadata().getLabels()).containsEntry("serin.io/release", "r1")
                .containsEntry("serin.io/variant", "baseline");
        assertThat(baseline.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("serin.io/variant", "baseline").containsEntry("app", "payment-gateway");
        assertThat(baseline.getSpec().getSelector().getMatchLabels()).containsEntry("serin.io/variant", "baseline");
        assertThat(route("admin")).isEqualTo(before.getSpec().getHttp().get(0));

        String version = version(vs());
        succeeded(weightWithBaseline(20));
        assertThat(version(vs())).as("applied twice, written once").isEqualTo(version);

        succeeded(weight(30));
        assertThat(weights(route("primary"))).as("a step without baseline drops it")
                .containsExactlyInAnyOrderEntriesOf(Map.of("stable", 70, "canary", 30));
        assertThat(deployment("payment-gateway-baseline")).isNull();
    }

    @Test
    void refusesABaselineThatWouldLeaveStableLessThanNothing() {
        failed(weightWithBaseline(60), FailureReason.INVALID);
        assertThat(deployment("payment-gateway-canary")).isNull();
    }

    @Test
    void rollbackAndPromotionRemoveTheBaseline() {
        succeeded(weightWithBaseline(10));
        succeeded(rollback());
        assertThat(route("primary").getRoute()).singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isNull());
        assertThat(deployment("payment-gateway-baseline")).isNull();

        succeeded(weightWithBaseline(10));
        succeeded(promote());
        assertThat(route("primary").getRoute()).singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isNull());
        assertThat(deployment("payment-gateway-baseline")).isNull();
        assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + "v2");
    }

    @Test
    void sendsAPathPrefixToTheCanaryThroughARouteBeforeTheManagedOne() {
        succeeded(weight(10));
        ExecutorResult.Succeeded result = succeededWith(header(RouteMatch.pathPrefix("/v2")));
        assertThat(result.summary()).contains("path prefix /v2");
        String version = version(vs());
        succeeded(header(RouteMatch.pathPrefix("/v2")));
        assertThat(version(vs())).as("applied twice, written once").isEqualTo(version);

        List<HTTPRoute> http = vs().getSpec().getHttp();
        assertThat(http).extracting(HTTPRoute::getName).containsExactly("admin", "serin-path-v2-0", "primary");
        HTTPRoute path = http.get(1);
        assertThat(path.getMatch()).singleElement().satisfies(m -> {
            assertThat(((StringMatchPrefix) m.getUri().getMatchType()).getPrefix()).isEqualTo("/v2");
            assertThat(m.getHeaders()).isNullOrEmpty();
        });
        assertThat(path.getRoute()).singleElement().satisfies(d -> {
            assertThat(d.getDestination().getSubset()).isEqualTo("canary");
            assertThat(d.getDestination().getPort().getNumber()).isEqualTo(80L);
        });
        assertThat(weights(route("primary"))).containsExactlyInAnyOrderEntriesOf(Map.of("stable", 90, "canary", 10));
        assertThat(route("admin")).isEqualTo(before.getSpec().getHttp().get(0));

        succeeded(header(RouteMatch.header("x-canary", "yes")));
        assertThat(vs().getSpec().getHttp()).extracting(HTTPRoute::getName)
                .containsExactly("admin", "serin-path-v2-0", "serin-header-0", "primary");

        succeeded(rollback());
        assertThat(vs().getSpec().getHttp()).extracting(HTTPRoute::getName).containsExactly("admin", "primary");
    }

    @Test
    void refusesAPathThatNoManagedRouteServes() {
        kube.resources(VirtualService.class).inNamespace(ns).withName("payment-gateway").edit(v -> {
            v.getSpec().getHttp().get(1).getMatch().get(0).getUri().setMatchType(new StringMatchPrefix("/api"));
            return v;
        });
        ExecutorResult.Failed f = failed(header(RouteMatch.pathPrefix("/v2")), FailureReason.INVALID);
        assertThat(f.message()).contains("no managed route serves paths under /v2");
        assertThat(vs().getSpec().getHttp()).extracting(HTTPRoute::getName).containsExactly("admin", "primary");
    }

    @Test
    void failsClearlyWhenTheVirtualServiceIsMissingOrHasNoRouteToTheHost() {
        ExecutorResult missing = handler.handle(new io.serin.events.ExecutorCommand.SetCanaryWeight("x", "r1", target,
                image("v2"), 25, new TrafficRouting.Istio("nope", null, "payment-gateway", null)));
        assertThat(missing).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.NOT_FOUND);
            assertThat(f.message()).contains(ns + "/nope");
        });
        ExecutorResult noRoute = handler.handle(new io.serin.events.ExecutorCommand.SetCanaryWeight("x", "r1", target,
                image("v2"), 25, new TrafficRouting.Istio("payment-gateway", List.of("ghost"), "payment-gateway",
                null)));
        assertThat(noRoute).isInstanceOfSatisfying(ExecutorResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID));
        assertThat(route("admin")).isEqualTo(before.getSpec().getHttp().get(0));
    }
}
