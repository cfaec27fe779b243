package io.serin.sandbox.traffic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.serin.sandbox.traffic.TrafficFixture.destination;
import static io.serin.sandbox.traffic.TrafficFixture.istio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Istio routes as the executor writes them (weights by subset, header, cookie and path routes before
 * the managed route, mirrors) and as a sidecar applies them. 1000 req/s; 10% of users are in the
 * beta segment and 20% of requests go to /v2.
 */
class IstioSplitTest {

    private static final TrafficFixture FIXTURE = new TrafficFixture();

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    /** payments-like app with stable pods labelled, a canary of 2 pods, the subsets, and these routes. */
    @SafeVarargs
    private static String app(boolean baseline, Map<String, Object>... routes) {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "pay", 3);
        FIXTURE.pinStable(ns, "pay");
        FIXTURE.variant(ns, "pay", "canary", "v2", 2);
        if (baseline) {
            FIXTURE.variant(ns, "pay", "baseline", "v1", 2);
        }
        FIXTURE.destinationRule(ns, "pay");
        FIXTURE.create(istio("VirtualService", ns, "pay", Map.of("hosts", List.of("pay"), "http", List.of(routes))));
        return ns;
    }

    private static Map<String, Object> weighted(int canary) {
        return Map.of("name", "primary", "route", List.of(destination("pay", "stable", 100 - canary),
                destination("pay", "canary", canary)));
    }

    @Test
    void weightsShareRequestsBetweenSubsetsWhateverThePodCounts() {
        String ns = app(false, weighted(10));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served().get("pay")).isCloseTo(900, within(1e-9));
        assertThat(traffic.served().get("pay-canary")).isCloseTo(100, within(1e-9));
    }

    @Test
    void aBaselineTakesItsOwnWeightFromStable() {
        String ns = app(true, Map.of("name", "primary", "route", List.of(destination("pay", "stable", 80),
                destination("pay", "canary", 10), destination("pay", "baseline", 10))));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served().get("pay")).isCloseTo(800, within(1e-9));
        assertThat(traffic.served().get("pay-canary")).isCloseTo(100, within(1e-9));
        assertThat(traffic.served().get("pay-baseline")).isCloseTo(100, within(1e-9));
    }

    @Test
    void aHeaderRouteBeforeTheWeightedRouteTakesTheWholeSegment() {
        Map<String, Object> header = Map.of("name", "serin-header-0",
                "match", List.of(Map.of("headers", Map.of("x-user-group", Map.of("exact", "beta")))),
                "route", List.of(destination("pay", "canary", null)));
        String ns = app(false, header, weighted(10));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        // the beta 10% all, and 10% of the other 90%
        assertThat(traffic.served().get("pay-canary")).isCloseTo(100 + 90, within(1e-9));
        assertThat(traffic.served().get("pay")).isCloseTo(810, within(1e-9));
    }

    @Test
    void aCookieRouteMatchesTheCookieAnywhereInTheHeader() {
        // the executor's expression, which Envoy matches against the whole Cookie header
        Map<String, Object> cookie = Map.of("name", "serin-header-0",
                "match", List.of(Map.of("headers", Map.of("cookie",
                        Map.of("regex", "^(.*?;\\s*)?(\\Qbeta-tester\\E=always)(;.*)?$")))),
                "route", List.of(destination("pay", "canary", null)));
        String ns = app(false, cookie, Map.of("name", "primary", "route", List.of(destination("pay", "stable", null))));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served().get("pay-canary")).isCloseTo(100, within(1e-9));
        assertThat(traffic.served().get("pay")).isCloseTo(900, within(1e-9));
    }

    @Test
    void aPathRouteTakesTheApiV2Clients() {
        Map<String, Object> path = Map.of("name", "serin-path-v2-0",
                "match", List.of(Map.of("uri", Map.of("prefix", "/v2"))),
                "route", List.of(destination("pay", "canary", null)));
        String ns = app(false, path, Map.of("name", "primary", "route", List.of(destination("pay", "stable", null))));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served().get("pay-canary")).isCloseTo(200, within(1e-9));
        assertThat(traffic.served().get("pay")).isCloseTo(800, within(1e-9));
    }

    @Test
    void aMirrorCopiesItsPercentageAndLeavesTheServedSplitAlone() {
        String ns = app(false, Map.of("name", "primary", "route", List.of(destination("pay", "stable", null)),
                "mirror", Map.of("host", "pay", "subset", "canary"), "mirrorPercentage", Map.of("value", 50.0)));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served()).containsOnlyKeys("pay");
        assertThat(traffic.served().get("pay")).isCloseTo(1000, within(1e-9));
        assertThat(traffic.mirrored().get("pay-canary")).isCloseTo(500, within(1e-9));
        assertThat(traffic.rate("pay-canary")).isCloseTo(500, within(1e-9));
    }

    @Test
    void requestsNoRouteMatchesOrToAnUnknownSubsetAreNotServed() {
        Map<String, Object> v1Only = Map.of("name", "v1", "match", List.of(Map.of("uri", Map.of("prefix", "/v1"))),
                "route", List.of(destination("pay", "missing", null)));
        String ns = app(false, v1Only);

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served()).isEmpty();
        assertThat(traffic.unrouted()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void aSubsetPicksAmongTheServicesPodsOnly() {
        String ns = app(false, Map.of("name", "primary", "route", List.of(destination("pay", "stable", null))));
        // a blue-green switch narrowed the Service to green, which the stable subset does not include
        FIXTURE.service(ns, "pay", TrafficFixture.selector("pay", "canary"));

        AppTraffic traffic = FIXTURE.traffic(ns, "pay");

        assertThat(traffic.served()).isEmpty();
        assertThat(traffic.unrouted()).isCloseTo(1000, within(1e-9));
    }
}
