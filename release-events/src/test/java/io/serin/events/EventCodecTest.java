package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EventCodecTest {

    static final String REQUESTED = "io.serin.release.requested.v1";
    static final String RELEASE = "rel-20261122-payment-gateway-v2";

    final EventCodec<ReleaseRequestMessage> requests = EventCodec.of(ReleaseRequestMessage.class);

    // --- envelope ---------------------------------------------------------------------------------------

    @Test
    void nonJsonBytesAreAnInvalidMessage() {
        InvalidMessageException e = rejected("payment-gateway:v2 please".getBytes(StandardCharsets.UTF_8));
        assertThat(e).hasMessageStartingWith("not JSON: ");
        assertThat(e.type()).isNull();
        assertThat(e.payloadInvalid()).isFalse();
    }

    @Test
    void emptyBytesAreAnInvalidMessage() {
        assertThat(rejected(new byte[0])).hasMessage("empty record value");
        assertThat(rejected((byte[]) null)).hasMessage("empty record value");
    }

    @Test
    void aJsonArrayIsAnInvalidMessage() {
        assertThat(rejected("[{\"specversion\":\"1.0\"}]")).hasMessage("not a JSON object");
        assertThat(rejected("42")).hasMessage("not a JSON object");
    }

    @Test
    void anEventWithoutSpecversionIsNotACloudEvent() {
        InvalidMessageException e = rejected(request(event -> event.remove("specversion")));
        assertThat(e).hasMessageContaining("not a CloudEvents 1.0 envelope");
        assertThat(e.type()).isEqualTo(REQUESTED);
        assertThat(e.subject()).isEqualTo(RELEASE);
    }

    @Test
    void anEventOfAnotherSpecversionIsNotACloudEvent10() {
        assertThat(rejected(request(event -> event.put("specversion", "0.3"))))
                .hasMessageContaining("not a CloudEvents 1.0 envelope").hasMessageContaining("0.3");
    }

    @Test
    void anEventWithoutIdSourceOrTypeNamesTheMissingAttribute() {
        for (String attribute : List.of("id", "source", "type")) {
            assertThat(rejected(request(event -> event.remove(attribute))))
                    .hasMessage("CloudEvent attribute '" + attribute + "' is missing");
        }
    }

    @Test
    void anUnknownTypeIsRejectedNamingTheTypesTheTopicKnows() {
        InvalidMessageException e = rejected(request(event -> event.put("type", "io.serin.release.requested.v9")));
        assertThat(e).hasMessageContaining("unknown CloudEvent type 'io.serin.release.requested.v9'")
                .hasMessageContaining(REQUESTED);
        assertThat(e.type()).isEqualTo("io.serin.release.requested.v9");
        assertThat(e.payloadInvalid()).isFalse();
    }

    @Test
    void aTypeOfAnotherTopicIsRejected() {
        byte[] promoted = Docs.bytes(Docs.example("io.serin.release.promoted.v1"));
        InvalidMessageException e = rejected(promoted);
        assertThat(e).hasMessageContaining("unknown CloudEvent type 'io.serin.release.promoted.v1'")
                .hasMessageContaining("ReleaseRequestMessage").hasMessageContaining(REQUESTED);
        // while the codec of its own topic reads it
        assertThat(EventCodec.of(ReleaseEvent.class).decode(promoted).data())
                .isInstanceOf(ReleaseEvent.Promoted.class);
    }

    @Test
    void anEventWithoutDataIsRejectedWithADataViolation() {
        InvalidMessageException e = rejected(request(event -> event.remove("data")));
        assertThat(e).hasMessageContaining("has no data object");
        assertThat(e.violations()).containsExactly(new Violation("data", "is required"));
        assertThat(e.payloadInvalid()).isTrue();
        assertThat(rejected(request(event -> event.put("data", "move it"))).violations())
                .containsExactly(new Violation("data", "is required"));
    }

    @Test
    void anUnreadableTimeIsAnInvalidEnvelope() {
        assertThat(rejected(request(event -> event.put("time", "yesterday"))))
                .hasMessageStartingWith("invalid CloudEvent attributes");
    }

    @Test
    void aCodecExistsOnlyForTopicRoots() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventCodec.of(ReleaseRequested.class))
                .withMessageContaining("is not a topic root");
    }

    // --- payload violations -----------------------------------------------------------------------------

    @Test
    void anUnknownStrategyTypeIsAViolationOfStrategyTypeNamingTheKnownTypes() {
        InvalidMessageException e = rejected(request(event -> strategy(event).put("type", "blueGren")));
        assertThat(e.payloadInvalid()).isTrue();
        assertThat(e.type()).isEqualTo(REQUESTED);
        assertThat(e.subject()).isEqualTo(RELEASE);
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.type");
            assertThat(v.message()).contains("blueGren").contains("canary").contains("blueGreen");
        });
        assertThat(e).hasMessageContaining("blueGren").hasMessageContaining("canary");
    }

    @Test
    void anUnknownStepTypeIsAViolationOfThatStepType() {
        InvalidMessageException e = rejected(request(event -> step(event, 1).put("type", "bake")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.steps[1].type");
            assertThat(v.message()).contains("bake").contains("setWeight").contains("analysis").contains("pause");
        });
    }

    @Test
    void unknownNestedTypesAreViolationsWithTheirFullPath() {
        assertThat(rejected(request(event -> ((ObjectNode) strategy(event).get("trafficRouting"))
                .put("type", "mesh"))).violations())
                .extracting(Violation::field).containsExactly("strategy.trafficRouting.type");
        assertThat(rejected(request(event -> ((ObjectNode) metric(event).get("measure")).put("type", "avg")))
                .violations()).singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("strategy.steps[1].metrics[0].measure.type");
                    assertThat(v.message()).contains("avg").contains("ratio");
                });
        assertThat(rejected(request(event -> ((ObjectNode) metric(event).get("judge")).put("type", "anomaly")))
                .violations()).extracting(Violation::field)
                .containsExactly("strategy.steps[1].metrics[0].judge.type");
    }

    @Test
    void aMissingStrategyTypeIsAViolationOfStrategyType() {
        InvalidMessageException e = rejected(request(event -> strategy(event).remove("type")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.type");
            assertThat(v.message()).contains("canary");
        });
    }

    @Test
    void aMissingStrategyTypeSaysThatTypeIsRequired() {
        InvalidMessageException e = rejected(request(event -> strategy(event).remove("type")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.type");
            assertThat(v.message()).startsWith("'type' is required").doesNotContain("'null'");
        });
    }

    @Test
    void aValueOfTheWrongTypeIsAViolationOfThatField() {
        assertThat(rejected(request(event -> step(event, 0).put("weight", "a quarter"))).violations())
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("strategy.steps[0].weight");
                    assertThat(v.message()).contains("a quarter");
                });
        assertThat(rejected(request(event -> step(event, 1).put("duration", "30 seconds"))).violations())
                .extracting(Violation::field).containsExactly("strategy.steps[1].duration");
        assertThat(rejected(request(event -> metric(event).put("variant", "CANARY"))).violations())
                .extracting(Violation::field).containsExactly("strategy.steps[1].metrics[0].variant");
    }

    // --- compatibility ----------------------------------------------------------------------------------

    @Test
    void unknownAttributesAndFieldsAreIgnored() {
        CloudEvent<ReleaseRequestMessage> event = requests.decode(request(e -> {
            e.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            ((ObjectNode) e.get("data")).put("priority", "high");
            strategy(e).put("maxSurge", 1);
            step(e, 0).putObject("pause").put("duration", "PT1M");
        }));
        assertThat(event.data()).isEqualTo(requests.decode(Docs.bytes(Docs.example(REQUESTED))).data());
    }

    @Test
    void absentOptionalFieldsAreReadAsNullAndNotWritten() {
        CloudEvent<ReleaseRequestMessage> event = requests.decode(request(e -> {
            ((ObjectNode) e.get("data")).remove("requestedBy");
            e.remove("time");
            e.remove("datacontenttype");
        }));
        ReleaseRequested request = (ReleaseRequested) event.data();
        assertThat(request.requestedBy()).isNull();
        assertThat(request.to().container()).isNull();
        assertThat(event.time()).isNull();
        JsonNode written = EventCodec.toTree(event);
        assertThat(written.has("time")).isFalse();
        assertThat(written.get("data").has("requestedBy")).isFalse();
        assertThat(written.get("data").get("to").has("container")).isFalse();
    }

    @Test
    void aBuiltMessageSurvivesARoundTrip() {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                new Judge.Threshold(null, 0.05), 100L);
        ReleaseRequested request = new ReleaseRequested(RELEASE,
                new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway"),
                new VersionSpec("registry.example.com/payments/payment-gateway:v2", "app"),
                new Strategy.Canary(new TrafficRouting.ReplicaRatio(), List.of(new CanaryStep.SetWeight(25),
                        new CanaryStep.Analysis(Duration.ofSeconds(30), List.of(errorRate)))),
                "ci:payments/payment-gateway#4711");
        CloudEvent<ReleaseRequested> sent = CloudEvent.of(URI.create("/ci"), RELEASE,
                Instant.parse("2026-11-22T10:15:30.123Z"), request);

        byte[] bytes = requests.encode(sent);
        CloudEvent<ReleaseRequestMessage> received = requests.decode(bytes);

        assertThat(received).isEqualTo(sent);
        assertThat(received.type()).isEqualTo(REQUESTED);
        assertThat(received.datacontenttype()).isEqualTo(CloudEvent.JSON);
        JsonNode tree = EventCodec.toTree(sent);
        assertThat(tree.at("/time").asText()).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(tree.at("/data/strategy/steps/1/duration").asText()).isEqualTo("PT30S");
        assertThat(tree.at("/data/strategy/steps/1/metrics/0/variant").asText()).isEqualTo("canary");
        assertThat(tree.at("/data/strategy/trafficRouting/type").asText()).isEqualTo("replicaRatio");
    }

    @Test
    void everyTopicCodecRoundTripsItsMessagesThroughBytes() {
        ReleaseEvent event = new ReleaseEvent.RollbackStarted(RELEASE, 6, Instant.parse("2026-11-22T10:16:33Z"),
                new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway"), "analysis FAILED");
        CloudEvent<ReleaseEvent> sent = CloudEvent.withId(RELEASE + ":6", URI.create("/serin/planner"), RELEASE,
                Instant.parse("2026-11-22T10:16:33Z"), event);
        EventCodec<ReleaseEvent> codec = EventCodec.of(ReleaseEvent.class);
        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
        assertThat(sent.type()).isEqualTo("io.serin.release.rollback-started.v1");
    }

    @Test
    void payloadsAloneRoundTripForStateStores() {
        TrafficState state = new TrafficState(25, 1, 3);
        assertThat(EventCodec.readValue(EventCodec.writeValue(state), TrafficState.class)).isEqualTo(state);
    }

    // --- operator actions and pauses -------------------------------------------------------------------

    @Test
    void anActionRequestWithAnUnknownActionIsAViolationOfAction() {
        String type = "io.serin.release.action-requested.v1";
        ObjectNode event = (ObjectNode) Docs.json(Docs.example(type));
        ((ObjectNode) event.get("data")).put("action", "rewind");
        InvalidMessageException e = rejected(event.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(e.payloadInvalid()).isTrue();
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.subject()).isEqualTo(RELEASE);
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("action");
            assertThat(v.message()).contains("rewind");
        });
    }

    @Test
    void aPauseStepWithoutDurationDecodesWithANullDuration() {
        CloudEvent<ReleaseRequestMessage> event = requests.decode(request(e -> {
            ArrayNode steps = (ArrayNode) strategy(e).get("steps");
            steps.insertObject(1).put("type", "pause");
        }));
        Strategy.Canary canary = (Strategy.Canary) ((ReleaseRequested) event.data()).strategy();
        assertThat(canary.steps()).hasSize(3);
        assertThat(canary.steps().get(1)).isEqualTo(new CanaryStep.Pause(null));
        assertThat(((CanaryStep.Pause) canary.steps().get(1)).duration()).isNull();
        JsonNode written = EventCodec.toTree(event).at("/data/strategy/steps/1");
        assertThat(written.path("type").asText()).isEqualTo("pause");
        assertThat(written.has("duration")).isFalse();
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private InvalidMessageException rejected(byte[] bytes) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> requests.decode(bytes));
        assertThat(e).as("decode must throw InvalidMessageException").isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }

    private InvalidMessageException rejected(String json) {
        return rejected(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The published request example, changed. */
    private static byte[] request(Consumer<ObjectNode> change) {
        ObjectNode event = (ObjectNode) Docs.json(Docs.example(REQUESTED));
        change.accept(event);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode strategy(ObjectNode event) {
        return (ObjectNode) event.get("data").get("strategy");
    }

    private static ObjectNode step(ObjectNode event, int index) {
        return (ObjectNode) strategy(event).get("steps").get(index);
    }

    private static ObjectNode metric(ObjectNode event) {
        return (ObjectNode) step(event, 1).get("metrics").get(0);
    }
}
