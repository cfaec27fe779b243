package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/asyncapi.yaml lists every topic and every message type of the contract. */
class AsyncApiTest {

    /** Which topic carries which messages (the Javadoc of each root says so). */
    static final Map<Class<?>, String> TOPIC_OF_ROOT = Map.of(
            ReleaseRequestMessage.class, Topics.RELEASE_REQUESTS,
            ExecutorCommand.class, Topics.EXECUTOR_COMMANDS,
            ExecutorResult.class, Topics.EXECUTOR_RESULTS,
            AnalysisCommand.class, Topics.ANALYSIS_COMMANDS,
            SampleMessage.class, Topics.METRIC_SAMPLES,
            VerdictMessage.class, Topics.ANALYSIS_VERDICTS,
            ReleaseEvent.class, Topics.RELEASE_EVENTS);

    static JsonNode doc;

    @BeforeAll
    static void parse() throws Exception {
        doc = new YAMLMapper().readTree(Docs.dir().resolve("asyncapi.yaml").toFile());
    }

    @Test
    void theDocumentIsAnAsyncapi3DescriptionOfSerin() {
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Serin");
        assertThat(doc.at("/info/version").asText()).isEqualTo("0.1.0");
        assertThat(doc.at("/info/description").asText()).contains("structured").contains("sequence")
                .contains("release id").contains("v2");
        assertThat(doc.at("/servers/kafka/protocol").asText()).isEqualTo("kafka");
    }

    @Test
    void everyTopicAndItsDeadLetterTopicIsAChannel() {
        assertThat(channelsByAddress().keySet()).containsExactlyInAnyOrderElementsOf(Topics.allWithDeadLetters());
    }

    @Test
    void everyTopicChannelCarriesExactlyTheMessagesOfItsRoot() {
        assertThat(TOPIC_OF_ROOT.keySet()).containsExactlyInAnyOrderElementsOf(MessageTypes.ROOTS);
        assertThat(TOPIC_OF_ROOT.values()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        Map<String, JsonNode> channels = channelsByAddress();
        TOPIC_OF_ROOT.forEach((root, topic) -> {
            Set<String> expected = MessageTypes.all().stream().filter(t -> MessageTypes.rootOf(t) == root)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> listed = new TreeSet<>();
            channels.get(topic).get("messages").forEach(m -> listed.add(resolve(m).path("name").asText()));
            assertThat(listed).as("messages of channel " + topic).isEqualTo(expected);
        });
    }

    @Test
    void deadLetterChannelsDocumentTheReasonAndOriginHeaders() {
        channelsByAddress().forEach((address, channel) -> {
            if (!address.endsWith(".dlq")) {
                return;
            }
            assertThat(channel.get("messages")).as(address).isNotEmpty();
            channel.get("messages").forEach(m -> {
                JsonNode headers = resolve(m).path("headers");
                assertThat(headers.path("properties").has(Topics.DLQ_REASON_HEADER)).as(address).isTrue();
                assertThat(headers.path("properties").has(Topics.DLQ_ORIGIN_HEADER)).as(address).isTrue();
            });
        });
    }

    @ParameterizedTest
    @MethodSource("io.serin.events.Docs#types")
    void everyRegisteredTypeIsAMessageWhosePayloadSchemaExists(String type) {
        JsonNode message = doc.at("/components/messages").get(type);
        assertThat(message).as("components.messages." + type).isNotNull();
        assertThat(message.path("name").asText()).isEqualTo(type);
        assertThat(message.path("contentType").asText()).isEqualTo("application/cloudevents+json");
        String payload = message.at("/payload/$ref").asText();
        assertThat(payload).isEqualTo("./schemas/" + type + ".json");
        assertThat(Files.isRegularFile(Docs.dir().resolve(payload).normalize())).as(payload).isTrue();
    }

    @ParameterizedTest
    @MethodSource("io.serin.events.Docs#types")
    void theEmbeddedExampleIsThePublishedExample(String type) {
        JsonNode examples = doc.at("/components/messages").get(type).path("examples");
        assertThat(examples).isNotEmpty();
        examples.forEach(example -> assertThat(example.get("payload")).isEqualTo(Docs.json(Docs.example(type))));
    }

    @Test
    void everyServiceSendsAndReceivesOnTheExpectedTopics() {
        Map<String, List<String>> ops = new HashMap<>();
        doc.get("operations").forEach(op -> {
            String service = op.at("/tags/0/name").asText();
            String address = resolve(op.get("channel")).path("address").asText();
            ops.computeIfAbsent(service, s -> new ArrayList<>()).add(op.path("action").asText() + " " + address);
        });
        assertThat(ops.get("planner")).contains("receive " + Topics.RELEASE_REQUESTS,
                "receive " + Topics.EXECUTOR_RESULTS, "receive " + Topics.ANALYSIS_VERDICTS,
                "send " + Topics.EXECUTOR_COMMANDS, "send " + Topics.ANALYSIS_COMMANDS,
                "send " + Topics.RELEASE_EVENTS);
        assertThat(ops.get("executor")).contains("receive " + Topics.EXECUTOR_COMMANDS,
                "send " + Topics.EXECUTOR_RESULTS);
        assertThat(ops.get("analyzer")).contains("receive " + Topics.ANALYSIS_COMMANDS,
                "receive " + Topics.METRIC_SAMPLES, "send " + Topics.ANALYSIS_VERDICTS);
        assertThat(ops.get("notifier")).contains("receive " + Topics.RELEASE_EVENTS);
        assertThat(ops.values().stream().flatMap(List::stream).filter(o -> o.startsWith("send ")
                && o.endsWith(Topics.RELEASE_EVENTS))).as("single writer of the release event log")
                .containsExactly("send " + Topics.RELEASE_EVENTS).hasSize(1);
        assertThat(ops.get("planner")).contains("send " + Topics.RELEASE_EVENTS);
    }

    @Test
    void everyLocalReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectRefs(doc, broken);
        assertThat(broken).isEmpty();
    }

    private static Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> byAddress = new HashMap<>();
        doc.get("channels").forEach(c -> byAddress.put(c.path("address").asText(), c));
        assertThat(byAddress).hasSize(doc.get("channels").size());
        return byAddress;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        assertThat(ref.asText()).startsWith("#/");
        JsonNode target = doc.at(ref.asText().substring(1));
        assertThat(target.isMissingNode()).as(ref.asText()).isFalse();
        return resolve(target);
    }

    private static void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String r = ref.asText();
                boolean ok = r.startsWith("#/") ? !doc.at(r.substring(1)).isMissingNode()
                        : Files.isRegularFile(Docs.dir().resolve(r).normalize());
                if (!ok) {
                    broken.add(r);
                }
            }
            node.forEach(child -> collectRefs(child, broken));
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, broken));
        }
    }
}
