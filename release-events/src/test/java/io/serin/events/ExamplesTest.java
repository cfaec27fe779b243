package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: the published examples and schemas. An example that no longer decodes, or that the
 * codec writes differently, means a published message type changed: add a new version instead.
 */
class ExamplesTest {

    static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(Docs.SCHEMA_BASE, Docs.schemas().toUri().toString())));
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();

    static Set<String> types() {
        return MessageTypes.all();
    }

    static JsonSchema schemaOf(String type) {
        return SCHEMAS.getSchema(SchemaLocation.of(Docs.SCHEMA_BASE + type + ".json"), CONFIG);
    }

    static Set<ValidationMessage> validate(String type, JsonNode event) {
        return schemaOf(type).validate(event);
    }

    @Test
    void everyRegisteredTypeHasExactlyOneExampleAndNothingElseIsExemplified() {
        assertThat(Docs.jsonFileNames(Docs.examples())).containsExactlyInAnyOrderElementsOf(MessageTypes.all());
    }

    @Test
    void everyRegisteredTypeHasExactlyOneSchemaAndNoSchemaDescribesAnUnknownType() {
        Set<String> schemas = Docs.jsonFileNames(Docs.schemas());
        assertThat(schemas).contains("common");
        schemas.remove("common");
        assertThat(schemas).containsExactlyInAnyOrderElementsOf(MessageTypes.all());
    }

    @ParameterizedTest
    @MethodSource("types")
    void theExampleValidatesAgainstItsSchema(String type) {
        assertThat(validate(type, Docs.json(Docs.example(type)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    void theExampleIsTheCloudEventItsFileNameSays(String type) {
        JsonNode example = Docs.json(Docs.example(type));
        assertThat(example.path("type").asText()).isEqualTo(type);
        assertThat(example.path("specversion").asText()).isEqualTo(CloudEvent.SPEC_VERSION);
        assertThat(example.path("subject").asText()).as("subject is the release id")
                .isEqualTo(example.path("data").path("releaseId").asText());
    }

    @ParameterizedTest
    @MethodSource("types")
    void theExampleDecodesToTheClassRegisteredForItsType(String type) {
        CloudEvent<?> event = EventCodec.of(MessageTypes.rootOf(type)).decode(Docs.bytes(Docs.example(type)));
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.data()).isExactlyInstanceOf(MessageTypes.classOf(type));
    }

    @ParameterizedTest
    @MethodSource("types")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void reEncodingTheDecodedExampleGivesThePublishedJsonBack(String type) throws Exception {
        EventCodec codec = EventCodec.of(MessageTypes.rootOf(type));
        CloudEvent<?> event = codec.decode(Docs.bytes(Docs.example(type)));
        JsonNode reencoded = EventCodec.mapper().readTree(codec.encode(event));
        assertThat(reencoded).isEqualTo(Docs.json(Docs.example(type)));
    }

    @ParameterizedTest
    @MethodSource("types")
    void theSchemaIgnoresUnknownAttributesAndFieldsAsReadersDo(String type) {
        ObjectNode event = (ObjectNode) Docs.json(Docs.example(type));
        event.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ((ObjectNode) event.get("data")).put("addedInAMinorRelease", true);
        event.get("data").forEach(field -> {
            if (field.isObject()) {
                ((ObjectNode) field).put("addedInAMinorRelease", 42);
            }
        });
        assertThat(validate(type, event)).isEmpty();
        assertThat(EventCodec.of(MessageTypes.rootOf(type)).decode(event.toString().getBytes()).data())
                .isExactlyInstanceOf(MessageTypes.classOf(type));
    }

    @ParameterizedTest
    @MethodSource("types")
    void theSchemaRejectsAnEventOfAnotherTypeOrWithoutData(String type) {
        assertThat(validate(type, with(type, e -> e.put("type", "io.serin.release.unknown.v1")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> e.put("specversion", "0.3")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> e.remove("data")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> e.put("time", "yesterday")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) e.get("data")).remove("releaseId")))).isNotEmpty();
    }

    @Test
    void theRequestSchemaRejectsWhatThePlannerRejects() {
        String type = "io.serin.release.requested.v1";
        assertThat(validate(type, with(type, e -> strategy(e).put("type", "blueGren")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("weight", 100)))).isNotEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("weight", 0)))).isNotEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("type", "bake")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("type", "pause").remove("weight")))).isEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("type", "pause").put("duration", "PT10M"))))
                .isEmpty();
        assertThat(validate(type, with(type, e -> step(e, 0).put("type", "pause").put("duration", "10m"))))
                .isNotEmpty();
        assertThat(validate(type, with(type, e -> strategy(e).put("progressDeadline", "PT15M")
                .put("onInconclusive", "rollback")))).isEmpty();
        assertThat(validate(type, with(type, e -> strategy(e).put("onInconclusive", "ROLLBACK")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> strategy(e).put("progressDeadline", "15 minutes")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> step(e, 1).put("duration", "30s")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> metric(e).put("variant", "CANARY")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) metric(e).get("measure")).put("type", "avg"))))
                .isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) metric(e).get("judge")).remove("max"))))
                .isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) strategy(e).get("trafficRouting"))
                .put("type", "mesh")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) e.get("data")).remove("target")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) e.get("data")).remove("strategy")))).isNotEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) e.get("data")).remove("requestedBy")))).isEmpty();
        assertThat(validate(type, with(type, e -> ((ObjectNode) e.get("data").get("to"))
                .put("container", "app")))).isEmpty();
    }

    @Test
    void theEnumSchemasUseTheSpellingTheCodecWrites() {
        assertThat(validate("io.serin.metrics.sample.v1", with("io.serin.metrics.sample.v1",
                e -> ((ObjectNode) e.get("data")).put("variant", "baseline")))).isEmpty();
        assertThat(validate("io.serin.analysis.verdict.v1", with("io.serin.analysis.verdict.v1",
                e -> ((ObjectNode) e.get("data")).put("verdict", "successful")))).isNotEmpty();
        assertThat(validate("io.serin.executor.result.failed.v1", with("io.serin.executor.result.failed.v1",
                e -> ((ObjectNode) e.get("data")).put("reason", "FORBIDDEN")))).isEmpty();
        assertThat(validate("io.serin.executor.result.failed.v1", with("io.serin.executor.result.failed.v1",
                e -> ((ObjectNode) e.get("data")).put("reason", "forbidden")))).isNotEmpty();
    }

    private static ObjectNode with(String type, Consumer<ObjectNode> change) {
        ObjectNode event = (ObjectNode) Docs.json(Docs.example(type));
        change.accept(event);
        return event;
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
