package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code initialDelay}: the warm-up every kind of analysis a request declares may leave unjudged. */
class InitialDelayTest {

    private static final String REQUESTED = "io.serin.release.requested.v1";
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);

    private static final String METRICS = """
            "metrics": [{"name": "error-rate", "variant": "canary",
              "measure": {"type": "ratio", "numerator": "errors", "denominator": "requests"},
              "judge": {"type": "threshold", "max": 0.05}}]""";

    private static String event(String strategy) {
        return """
                {"specversion": "1.0", "id": "rel-1:requested", "source": "urn:ci", "type": "%s",
                 "subject": "rel-1", "datacontenttype": "application/json",
                 "data": {"releaseId": "rel-1",
                   "target": {"kind": "Deployment", "namespace": "payments", "name": "payment-gateway"},
                   "to": {"image": "registry.example.com/payments/payment-gateway:v2"},
                   "strategy": %s}}
                """.formatted(REQUESTED, strategy);
    }

    private static JsonNode tree(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void aCanaryRequestWithInitialDelaysValidatesDecodesAndReEncodesUnchanged() throws Exception {
        String json = event("""
                {"type": "canary", "trafficRouting": {"type": "replicaRatio"}, "steps": [
                  {"type": "setWeight", "weight": 25},
                  {"type": "analysis", "duration": "PT5M", "initialDelay": "PT1M", %s}],
                 "backgroundAnalysis": {"startingStep": 0, "duration": "PT30M", "initialDelay": "PT2M30S", %s}}
                """.formatted(METRICS, METRICS));
        assertThat(ExamplesTest.validate(REQUESTED, tree(json))).isEmpty();

        CloudEvent<ReleaseRequestMessage> decoded = REQUESTS.decode(json.getBytes(StandardCharsets.UTF_8));
        Strategy.Canary canary = (Strategy.Canary) ((ReleaseRequested) decoded.data()).strategy();
        CanaryStep.Analysis step = (CanaryStep.Analysis) canary.steps().get(1);
        assertThat(step.initialDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(step.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(canary.backgroundAnalysis().initialDelay()).isEqualTo(Duration.ofSeconds(150));

        byte[] encoded = REQUESTS.encode(decoded);
        assertThat(tree(new String(encoded, StandardCharsets.UTF_8))).isEqualTo(tree(json));
        assertThat(REQUESTS.decode(encoded)).isEqualTo(decoded);
    }

    @Test
    void anAnalysisSpecCarriesItsInitialDelayThroughTheCodec() throws Exception {
        String json = event("""
                {"type": "blueGreen",
                 "prePromotionAnalysis": {"duration": "PT2M", "initialDelay": "PT45S", %s},
                 "postPromotionAnalysis": {"duration": "PT2M", %s}}
                """.formatted(METRICS, METRICS));
        assertThat(ExamplesTest.validate(REQUESTED, tree(json))).isEmpty();
        CloudEvent<ReleaseRequestMessage> decoded = REQUESTS.decode(json.getBytes(StandardCharsets.UTF_8));
        Strategy.BlueGreen blueGreen = (Strategy.BlueGreen) ((ReleaseRequested) decoded.data()).strategy();
        assertThat(blueGreen.prePromotionAnalysis().initialDelay()).isEqualTo(Duration.ofSeconds(45));
        // absent: read as null (no warm-up) and not written
        assertThat(blueGreen.postPromotionAnalysis().initialDelay()).isNull();
        JsonNode written = EventCodec.toTree(decoded);
        assertThat(written.at("/data/strategy/prePromotionAnalysis/initialDelay").asText()).isEqualTo("PT45S");
        assertThat(written.at("/data/strategy/postPromotionAnalysis").has("initialDelay")).isFalse();
        assertThat(written).isEqualTo(tree(json));
    }

    @Test
    void theSchemaRefusesANegativeInitialDelay() throws Exception {
        String json = event("""
                {"type": "canary", "trafficRouting": {"type": "replicaRatio"}, "steps": [
                  {"type": "analysis", "duration": "PT5M", "initialDelay": "-PT1M", %s}]}
                """.formatted(METRICS));
        assertThat(ExamplesTest.validate(REQUESTED, tree(json))).isNotEmpty();
        // the codec still reads it, so the planner can reject it naming the field
        ReleaseRequested request = (ReleaseRequested) REQUESTS.decode(json.getBytes(StandardCharsets.UTF_8)).data();
        assertThat(((CanaryStep.Analysis) ((Strategy.Canary) request.strategy()).steps().get(0)).initialDelay())
                .isEqualTo(Duration.ofMinutes(-1));
    }

    @Test
    void theConstructorsWithoutAnInitialDelayLeaveItAbsent() {
        List<MetricCheck> metrics = List.of(new MetricCheck("error-rate", Variant.CANARY,
                new Measure.Ratio("errors", "requests"), new Judge.Threshold(null, 0.05), 100L));
        assertThat(new AnalysisSpec(Duration.ofMinutes(1), metrics).initialDelay()).isNull();
        assertThat(new AnalysisSpec(Duration.ofMinutes(1), metrics, 1, 2).initialDelay()).isNull();
        assertThat(new CanaryStep.Analysis(Duration.ofMinutes(1), metrics).initialDelay()).isNull();
        assertThat(new CanaryStep.Analysis(Duration.ofMinutes(1), metrics, 1, 2).initialDelay()).isNull();
        assertThat(new BackgroundAnalysis(0, Duration.ofMinutes(1), metrics).initialDelay()).isNull();
        ObjectNode written = (ObjectNode) EventCodec.toTree(CloudEvent.of(java.net.URI.create("urn:ci"), "rel-1",
                null, new ReleaseRequested("rel-1", new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "app"),
                        new VersionSpec("registry.example.com/app:v2", null), new Strategy.Canary(null,
                        List.of(new CanaryStep.Analysis(Duration.ofMinutes(1), metrics))), null)));
        assertThat(written.at("/data/strategy/steps/0").has("initialDelay")).isFalse();
    }
}
