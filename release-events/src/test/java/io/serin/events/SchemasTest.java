package io.serin.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas describe the records: same field names, primitives required, same enum spellings and
 * the same polymorphic type names. A field added to a record must be added to its schema.
 */
class SchemasTest {

    /** Records described in common.json, by their definition name. */
    static final Map<Class<?>, String> COMMON_RECORDS = new LinkedHashMap<>();

    static {
        COMMON_RECORDS.put(WorkloadRef.class, "WorkloadRef");
        COMMON_RECORDS.put(VersionSpec.class, "VersionSpec");
        COMMON_RECORDS.put(TrafficState.class, "TrafficState");
        COMMON_RECORDS.put(MetricCheck.class, "MetricCheck");
        COMMON_RECORDS.put(MetricEvidence.class, "MetricEvidence");
        COMMON_RECORDS.put(AnalysisVerdict.class, "AnalysisVerdict");
        COMMON_RECORDS.put(Violation.class, "Violation");
        COMMON_RECORDS.put(ReleaseRequested.class, "ReleaseRequested");
        COMMON_RECORDS.put(Strategy.Canary.class, "CanaryStrategy");
        COMMON_RECORDS.put(TrafficRouting.ReplicaRatio.class, "ReplicaRatio");
        COMMON_RECORDS.put(TrafficRouting.Istio.class, "IstioRouting");
        COMMON_RECORDS.put(TrafficRouting.GatewayApi.class, "GatewayApiRouting");
        COMMON_RECORDS.put(TrafficRouting.Nginx.class, "NginxRouting");
        COMMON_RECORDS.put(CanaryStep.SetWeight.class, "SetWeightStep");
        COMMON_RECORDS.put(CanaryStep.Analysis.class, "AnalysisStep");
        COMMON_RECORDS.put(CanaryStep.Pause.class, "PauseStep");
        COMMON_RECORDS.put(Measure.Ratio.class, "RatioMeasure");
        COMMON_RECORDS.put(Judge.Threshold.class, "ThresholdJudge");
        COMMON_RECORDS.put(Judge.Sequential.class, "SequentialJudge");
        COMMON_RECORDS.put(Judge.Comparison.class, "ComparisonJudge");
        COMMON_RECORDS.put(Judge.MannWhitney.class, "MannWhitneyJudge");
        COMMON_RECORDS.put(Measure.Mean.class, "MeanMeasure");
        COMMON_RECORDS.put(Measure.Latency.class, "LatencyMeasure");
        COMMON_RECORDS.put(Strategy.BlueGreen.class, "BlueGreenStrategy");
        COMMON_RECORDS.put(Strategy.AbTest.class, "AbTestStrategy");
        COMMON_RECORDS.put(Strategy.Shadow.class, "ShadowStrategy");
        COMMON_RECORDS.put(Strategy.ApiVersions.class, "ApiVersionsStrategy");
        COMMON_RECORDS.put(Strategy.Rolling.class, "RollingStrategy");
        COMMON_RECORDS.put(Strategy.Recreate.class, "RecreateStrategy");
        COMMON_RECORDS.put(AnalysisSpec.class, "AnalysisSpec");
        COMMON_RECORDS.put(BackgroundAnalysis.class, "BackgroundAnalysis");
        COMMON_RECORDS.put(Gates.class, "Gates");
        COMMON_RECORDS.put(Webhook.class, "Webhook");
        COMMON_RECORDS.put(CanaryStep.SetCanaryScale.class, "SetCanaryScaleStep");
        COMMON_RECORDS.put(CanaryStep.SetHeaderRoute.class, "SetHeaderRouteStep");
        COMMON_RECORDS.put(CanaryStep.SetMirrorRoute.class, "SetMirrorRouteStep");
        COMMON_RECORDS.put(RouteMatch.class, "RouteMatch");
    }

    static final Map<Class<?>, String> POLYMORPHIC = Map.of(Strategy.class, "Strategy", TrafficRouting.class,
            "TrafficRouting", CanaryStep.class, "CanaryStep", Measure.class, "Measure", Judge.class, "Judge");

    static final Map<Class<? extends Enum<?>>, String> ENUMS = Map.of(Variant.class, "Variant", Verdict.class,
            "Verdict", FailureReason.class, "FailureReason", ReleaseAction.class, "ReleaseAction",
            Strategy.InconclusivePolicy.class, "InconclusivePolicy", Direction.class, "Direction");

    static JsonNode defs() {
        return Docs.json(Docs.schemas().resolve(Docs.COMMON)).get("$defs");
    }

    static Stream<String> schemaFiles() {
        return Docs.jsonFileNames(Docs.schemas()).stream();
    }

    @ParameterizedTest
    @MethodSource("schemaFiles")
    void everySchemaIsADraft202012SchemaWithTheIdOfItsFile(String name) {
        JsonNode schema = Docs.json(Docs.schemas().resolve(name + ".json"));
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(Docs.SCHEMA_BASE + name + ".json");
        JsonSchema meta = ExamplesTest.SCHEMAS.getSchema(
                SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), ExamplesTest.CONFIG);
        assertThat(meta.validate(schema)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("schemaFiles")
    void everyReferenceResolvesAndNoSchemaForbidsUnknownFields(String name) {
        Path file = Docs.schemas().resolve(name + ".json");
        JsonNode schema = Docs.json(file);
        List<String> problems = new ArrayList<>();
        walk(schema, "", (path, node) -> {
            if (node.has("additionalProperties") && node.get("additionalProperties").isBoolean()
                    && !node.get("additionalProperties").asBoolean()) {
                problems.add(path + ": additionalProperties false (readers ignore unknown fields)");
            }
            if (node.has("unevaluatedProperties") && node.get("unevaluatedProperties").isBoolean()
                    && !node.get("unevaluatedProperties").asBoolean()) {
                problems.add(path + ": unevaluatedProperties false (readers ignore unknown fields)");
            }
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String[] parts = ref.asText().split("#", 2);
                Path target = parts[0].isEmpty() ? file : Docs.schemas().resolve(parts[0]);
                if (!Files.isRegularFile(target)) {
                    problems.add(path + ": $ref " + ref.asText() + " names no file");
                } else if (parts.length > 1 && Docs.json(target).at(parts[1]).isMissingNode()) {
                    problems.add(path + ": $ref " + ref.asText() + " names no definition");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.serin.events.Docs#types")
    void theSchemaOfATypeDescribesItsEnvelopeAndEveryFieldOfItsRecord(String type) {
        JsonNode schema = Docs.json(Docs.schema(type));
        assertThat(schema.at("/properties/type/const").asText()).isEqualTo(type);
        assertThat(schema.at("/properties/specversion/const").asText()).isEqualTo(CloudEvent.SPEC_VERSION);
        assertThat(names(schema.get("properties"))).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(CloudEvent.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(names(schema.get("required"))).containsExactlyInAnyOrder("specversion", "id", "source", "type",
                "data");
        JsonNode data = resolve(schema.at("/properties/data"));
        assertDescribes(data, MessageTypes.classOf(type), type + " data");
    }

    @Test
    void theSharedDefinitionsDescribeEveryFieldOfTheirRecords() {
        JsonNode defs = defs();
        COMMON_RECORDS.forEach((record, def) -> {
            assertThat(defs.has(def)).as("$defs/" + def).isTrue();
            assertDescribes(defs.get(def), record, def);
        });
    }

    @Test
    void thePolymorphicDefinitionsListExactlyTheRegisteredTypeNames() {
        JsonNode defs = defs();
        POLYMORPHIC.forEach((type, def) -> {
            JsonSubTypes.Type[] subtypes = type.getAnnotation(JsonSubTypes.class).value();
            JsonNode node = defs.get(def);
            assertThat(names(node.at("/properties/type/enum"))).as(def + " type names")
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(subtypes).map(JsonSubTypes.Type::name).toList());
            assertThat(names(node.get("required"))).contains("type");
            List<String> alternatives = new ArrayList<>();
            node.get("oneOf").forEach(alt -> alternatives.add(alt.get("$ref").asText()));
            assertThat(alternatives).as(def + " oneOf").containsExactlyInAnyOrderElementsOf(Arrays.stream(subtypes)
                    .map(t -> "#/$defs/" + COMMON_RECORDS.get(t.value())).toList());
            for (JsonSubTypes.Type t : subtypes) {
                JsonNode alt = defs.get(COMMON_RECORDS.get(t.value()));
                assertThat(alt.at("/properties/type/const").asText()).as(t.value().getName()).isEqualTo(t.name());
                assertThat(names(alt.get("required"))).contains("type");
            }
        });
    }

    @Test
    void theEnumDefinitionsUseTheSpellingTheCodecWrites() throws Exception {
        JsonNode defs = defs();
        for (Map.Entry<Class<? extends Enum<?>>, String> e : ENUMS.entrySet()) {
            List<String> written = new ArrayList<>();
            for (Enum<?> constant : e.getKey().getEnumConstants()) {
                written.add(EventCodec.mapper().writeValueAsString(constant).replace("\"", ""));
            }
            assertThat(names(defs.get(e.getValue()).get("enum"))).as(e.getValue())
                    .containsExactlyElementsOf(written);
        }
        assertThat(Variant.class.getField("CANARY").getAnnotation(JsonProperty.class).value()).isEqualTo("canary");
    }

    private static void assertDescribes(JsonNode schema, Class<?> record, String what) {
        Set<String> fields = new TreeSet<>();
        Set<String> primitives = new TreeSet<>();
        for (RecordComponent rc : record.getRecordComponents()) {
            fields.add(rc.getName());
            if (rc.getType().isPrimitive()) {
                primitives.add(rc.getName());
            }
        }
        if (Arrays.stream(record.getInterfaces()).anyMatch(POLYMORPHIC::containsKey)) {
            fields.add("type");
        }
        assertThat(schema.path("type").asText()).as(what + " type").isEqualTo("object");
        assertThat(names(schema.get("properties"))).as(what + " properties").containsExactlyInAnyOrderElementsOf(fields);
        assertThat(names(schema.get("required"))).as(what + " required (primitives are always written)")
                .containsAll(primitives).isSubsetOf(fields);
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String[] parts = ref.asText().split("#", 2);
        return Docs.json(Docs.schemas().resolve(parts[0])).at(parts[1]);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node == null || node.isMissingNode()) {
            return names;
        }
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private interface Visitor {
        void visit(String path, JsonNode node);
    }

    private static void walk(JsonNode node, String path, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(path, node);
            node.fields().forEachRemaining(e -> walk(e.getValue(), path + "/" + e.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, visitor);
            }
        }
    }
}
