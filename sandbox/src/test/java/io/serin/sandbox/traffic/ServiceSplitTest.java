package io.serin.sandbox.traffic;

import io.serin.testsupport.ExampleRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.serin.sandbox.traffic.TrafficFixture.RATE;
import static io.serin.sandbox.traffic.TrafficFixture.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Plain Services: selectors pick ready pods, blue-green switches selectors, previews get testers. */
class ServiceSplitTest {

    private static final TrafficFixture FIXTURE = new TrafficFixture();

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    @Test
    void aPlainServiceSharesRequestsByReadyPods() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "shop", 3);
        FIXTURE.variant(ns, "shop", "canary", "v2", 1);

        AppTraffic traffic = FIXTURE.traffic(ns, "shop");

        assertThat(traffic.router()).isEqualTo("Service " + ns + "/shop");
        assertThat(traffic.served()).containsOnlyKeys("shop", "shop-canary");
        assertThat(traffic.served().get("shop")).isCloseTo(RATE * 3 / 4, within(1e-9));
        assertThat(traffic.served().get("shop-canary")).isCloseTo(RATE / 4, within(1e-9));
        assertThat(traffic.unrouted()).isCloseTo(0, within(1e-9));
    }

    @Test
    void aVirtualServiceRouteWithoutSubsetsKeepsTheReplicaRatio() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "shop", 3);
        FIXTURE.create(ExampleRoutes.virtualService(ns, "shop"));
        FIXTURE.create(ExampleRoutes.destinationRule(ns, "shop"));
        FIXTURE.variant(ns, "shop", "canary", "v2", 1);

        AppTraffic traffic = FIXTURE.traffic(ns, "shop");

        assertThat(traffic.router()).isEqualTo("Istio VirtualService " + ns + "/shop");
        assertThat(traffic.served().get("shop")).isCloseTo(750, within(1e-9));
        assertThat(traffic.served().get("shop-canary")).isCloseTo(250, within(1e-9));
    }

    @Test
    void blueGreenSendsClientsWhereTheActiveSelectorPointsAndTestersToThePreview() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "shop", 3);
        FIXTURE.pinStable(ns, "shop");
        FIXTURE.service(ns, "shop", selector("shop", "stable"));
        FIXTURE.variant(ns, "shop", "canary", "v2", 3);
        FIXTURE.service(ns, "shop-preview", selector("shop", "canary"));

        AppTraffic before = FIXTURE.traffic(ns, "shop");
        assertThat(before.served().get("shop")).isCloseTo(RATE, within(1e-9));
        assertThat(before.served().get("shop-canary"))
                .isCloseTo(ClientPopulation.DEFAULT.smokeRate(), within(1e-9));

        FIXTURE.service(ns, "shop", selector("shop", "canary"));
        AppTraffic after = FIXTURE.traffic(ns, "shop");
        assertThat(after.served()).doesNotContainKey("shop");
        assertThat(after.served().get("shop-canary"))
                .isCloseTo(RATE + ClientPopulation.DEFAULT.smokeRate(), within(1e-9));
    }

    @Test
    void aServiceWithoutReadyPodsLeavesRequestsUnrouted() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "shop", 2);
        FIXTURE.service(ns, "shop", Map.of("app", "nobody"));

        AppTraffic traffic = FIXTURE.traffic(ns, "shop");

        assertThat(traffic.served()).isEmpty();
        assertThat(traffic.unrouted()).isCloseTo(RATE, within(1e-9));
    }
}
