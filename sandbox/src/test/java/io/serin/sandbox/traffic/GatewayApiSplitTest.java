package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.serin.sandbox.traffic.TrafficFixture.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Gateway API rules as the executor writes them (a weighted canary Service backend, header and path
 * rules beside the managed rule, a RequestMirror filter) and as a gateway ranks them.
 */
class GatewayApiSplitTest {

    private static final TrafficFixture FIXTURE = new TrafficFixture();

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    /** An app whose Service selects stable pods only, a canary Service, and an HTTPRoute with these rules. */
    private static String app(HTTPRouteRule... rules) {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "web", 3);
        FIXTURE.pinStable(ns, "web");
        FIXTURE.service(ns, "web", selector("web", "stable"));
        FIXTURE.variant(ns, "web", "canary", "v2", 1);
        FIXTURE.service(ns, "web-canary", selector("web", "canary"));
        FIXTURE.create(new HTTPRouteBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().addNewParentRef().withName("gateway").endParentRef().withRules(rules).endSpec().build());
        return ns;
    }

    private static HTTPBackendRef backend(String service, Integer weight) {
        return new HTTPBackendRefBuilder().withName(service).withPort(80).withWeight(weight).build();
    }

    @Test
    void weightsShareRequestsBetweenServices() {
        String ns = app(new HTTPRouteRuleBuilder().withBackendRefs(backend("web", 75), backend("web-canary", 25))
                .build());

        AppTraffic traffic = FIXTURE.traffic(ns, "web");

        assertThat(traffic.router()).isEqualTo("HTTPRoute " + ns + "/web");
        assertThat(traffic.served().get("web")).isCloseTo(750, within(1e-9));
        assertThat(traffic.served().get("web-canary")).isCloseTo(250, within(1e-9));
    }

    @Test
    void aRuleWithMoreHeaderMatchesTakesItsSegmentWhereverItStands() {
        HTTPRouteRule managed = new HTTPRouteRuleBuilder().addNewMatch().withNewPath().withType("PathPrefix")
                .withValue("/").endPath().endMatch().withBackendRefs(backend("web", null)).build();
        HTTPRouteRule header = new HTTPRouteRuleBuilder().withName("serin-header-0").addNewMatch().withNewPath()
                .withType("PathPrefix").withValue("/").endPath().addNewHeader().withName("X-User-Group")
                .withType("Exact").withValue("beta").endHeader().endMatch()
                .withBackendRefs(backend("web-canary", null)).build();
        String ns = app(managed, header);

        AppTraffic traffic = FIXTURE.traffic(ns, "web");

        assertThat(traffic.served().get("web-canary")).isCloseTo(100, within(1e-9));
        assertThat(traffic.served().get("web")).isCloseTo(900, within(1e-9));
    }

    @Test
    void theLongerPathPrefixTakesItsWholeSegments() {
        HTTPRouteRule managed = new HTTPRouteRuleBuilder().withBackendRefs(backend("web", null)).build();
        HTTPRouteRule path = new HTTPRouteRuleBuilder().withName("serin-path-v2-0").addNewMatch().withNewPath()
                .withType("PathPrefix").withValue("/v2").endPath().endMatch()
                .withBackendRefs(backend("web-canary", null)).build();
        String ns = app(managed, path);

        AppTraffic traffic = FIXTURE.traffic(ns, "web");

        assertThat(traffic.served().get("web-canary")).isCloseTo(200, within(1e-9));
        assertThat(traffic.served().get("web")).isCloseTo(800, within(1e-9));
        assertThat(GatewayApiSplit.pathMatches(new HTTPPathMatchBuilder().withType("PathPrefix").withValue("/v2")
                .build(), "/v2beta/x")).isFalse();
    }

    @Test
    void aRequestMirrorCopiesItsPercent() {
        String ns = app(new HTTPRouteRuleBuilder().withBackendRefs(backend("web", null)).addNewFilter()
                .withType("RequestMirror").withNewRequestMirror().withNewBackendRef().withName("web-canary")
                .withPort(80).endBackendRef().withPercent(30).endRequestMirror().endFilter().build());

        AppTraffic traffic = FIXTURE.traffic(ns, "web");

        assertThat(traffic.served()).containsOnlyKeys("web");
        assertThat(traffic.served().get("web")).isCloseTo(1000, within(1e-9));
        assertThat(traffic.mirrored().get("web-canary")).isCloseTo(300, within(1e-9));
    }
}
