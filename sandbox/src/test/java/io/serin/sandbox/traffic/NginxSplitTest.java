package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.serin.testsupport.ExampleRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.serin.sandbox.traffic.TrafficFixture.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ingress-nginx canary annotations and path Ingresses, as the executor writes them, as NGINX applies them. */
class NginxSplitTest {

    private static final TrafficFixture FIXTURE = new TrafficFixture();
    private static final String HOST = "bot.example.com";

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    /** An app behind Ingress {@code bot} (every path), its Service narrowed to stable, a canary Service. */
    private static String app() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "bot", 2);
        FIXTURE.pinStable(ns, "bot");
        FIXTURE.service(ns, "bot", selector("bot", "stable"));
        FIXTURE.variant(ns, "bot", "canary", "v2", 1);
        FIXTURE.service(ns, "bot-canary", selector("bot", "canary"));
        FIXTURE.create(ExampleRoutes.ingress(ns, "bot", HOST));
        return ns;
    }

    /** The canary Ingress: the stable Ingress's rules pointed at the canary Service, with these annotations. */
    private static void canaryIngress(String ns, Map<String, String> annotations) {
        Ingress canary = new IngressBuilder(ExampleRoutes.ingress(ns, "bot", HOST)).editMetadata()
                .withName("bot-canary").addToAnnotations("nginx.ingress.kubernetes.io/canary", "true")
                .addToAnnotations(annotations).endMetadata().build();
        canary.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().setName("bot-canary");
        FIXTURE.create(canary);
    }

    @Test
    void aCanaryWeightTakesItsShare() {
        String ns = app();
        canaryIngress(ns, Map.of("nginx.ingress.kubernetes.io/canary-weight", "20"));

        AppTraffic traffic = FIXTURE.traffic(ns, "bot");

        assertThat(traffic.router()).isEqualTo("NGINX Ingresses of " + ns + " for host " + HOST);
        assertThat(traffic.served().get("bot-canary")).isCloseTo(200, within(1e-9));
        assertThat(traffic.served().get("bot")).isCloseTo(800, within(1e-9));
    }

    @Test
    void aHeaderValueSendsItsSegmentAndTheWeightTheRest() {
        String ns = app();
        canaryIngress(ns, Map.of("nginx.ingress.kubernetes.io/canary-weight", "10",
                "nginx.ingress.kubernetes.io/canary-by-header", "X-User-Group",
                "nginx.ingress.kubernetes.io/canary-by-header-value", "beta"));

        AppTraffic traffic = FIXTURE.traffic(ns, "bot");

        assertThat(traffic.served().get("bot-canary")).isCloseTo(100 + 90, within(1e-9));
    }

    @Test
    void aCookieSetToAlwaysSendsItsSegment() {
        String ns = app();
        canaryIngress(ns, Map.of("nginx.ingress.kubernetes.io/canary-weight", "0",
                "nginx.ingress.kubernetes.io/canary-by-cookie", "beta-tester"));

        AppTraffic traffic = FIXTURE.traffic(ns, "bot");

        assertThat(traffic.served().get("bot-canary")).isCloseTo(100, within(1e-9));
        assertThat(traffic.served().get("bot")).isCloseTo(900, within(1e-9));
    }

    @Test
    void aPathIngressTakesItsPrefixBeforeTheCanaryIngressIsAsked() {
        String ns = app();
        canaryIngress(ns, Map.of("nginx.ingress.kubernetes.io/canary-weight", "50"));
        FIXTURE.create(new IngressBuilder().withNewMetadata().withName("bot-v2").withNamespace(ns).endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost(HOST).withNewHttp().addNewPath()
                .withPath("/v2").withPathType("Prefix").withNewBackend().withNewService().withName("bot-canary")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build());

        AppTraffic traffic = FIXTURE.traffic(ns, "bot");

        // /v2 (20%) all to the canary; the canary Ingress halves the rest
        assertThat(traffic.served().get("bot-canary")).isCloseTo(200 + 400, within(1e-9));
        assertThat(traffic.served().get("bot")).isCloseTo(400, within(1e-9));
    }
}
