package io.serin.planner.messaging;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.Topics;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.planner.plan.Phase;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.RequestValidator;
import io.serin.planner.plan.Requests;
import io.serin.testsupport.JsonMutator;
import io.serin.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every contract message the planner reads, mutated (fields removed or null, extreme numbers and
 * durations, huge strings, deep nesting, wrong types, truncated bytes), goes through the real
 * topology. Nothing escapes the processor (the driver would throw), every record that is not a
 * release's input ends dead-lettered with a reason, and a normal release completes afterwards.
 */
class PlannerFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    /** Which topic each example type is written to. */
    private static final Map<String, String> TOPICS = Map.of(
            "io.serin.release.requested", Topics.RELEASE_REQUESTS,
            "io.serin.release.action-requested", Topics.RELEASE_REQUESTS,
            "io.serin.executor.result", Topics.EXECUTOR_RESULTS,
            "io.serin.analysis.verdict", Topics.ANALYSIS_VERDICTS);

    /** Mutations per example; the mutator is seeded, so a failure names the record that caused it. */
    private static final int SEEDS = 100;

    private TopologyTestDriver driver;
    private final MutableClock clock = new MutableClock(NOW);
    private Map<String, TestInputTopic<String, byte[]>> inputs;
    private TestOutputTopic<String, byte[]> commands;

    @BeforeEach
    void start() {
        var topology = new PlannerTopology(new ReleasePlanner(io.serin.planner.plan.Requests.validator()), clock, SOURCE)
                .build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-fuzz");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, NOW);
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        inputs = Map.of(Topics.RELEASE_REQUESTS, driver.createInputTopic(Topics.RELEASE_REQUESTS, s.serializer(),
                        b.serializer()),
                Topics.EXECUTOR_RESULTS, driver.createInputTopic(Topics.EXECUTOR_RESULTS, s.serializer(), b.serializer()),
                Topics.ANALYSIS_VERDICTS, driver.createInputTopic(Topics.ANALYSIS_VERDICTS, s.serializer(),
                        b.serializer()));
        commands = driver.createOutputTopic(Topics.EXECUTOR_COMMANDS, s.deserializer(), b.deserializer());
        // the release the examples' results and verdicts belong to is running, so they reach its state
        String live = "rel-20261122-payment-gateway-v2";
        inputs.get(Topics.RELEASE_REQUESTS).pipeInput(live, REQUESTS.encode(CloudEvent.of(SOURCE, live, NOW,
                Requests.canary(live))));
    }

    @AfterEach
    void stop() {
        // after all the junk, and possibly releases it started on the example's target, a normal
        // release on a target of its own runs from request to promotion
        String id = "after-fuzz";
        var target = new io.serin.events.WorkloadRef("Deployment", "fuzz", "clean-app");
        commands.readValuesToList();
        inputs.get(Topics.RELEASE_REQUESTS).pipeInput(id, REQUESTS.encode(CloudEvent.of(SOURCE, id, NOW,
                Requests.canaryOn(target, id))));
        ExecutorCommand first = COMMANDS.decode(commands.readValue()).data();
        result(id, first.commandId(), new TrafficState(25, 1, 3));
        inputs.get(Topics.ANALYSIS_VERDICTS).pipeInput(id, EventCodec.of(VerdictMessage.class).encode(CloudEvent.of(
                SOURCE, id, NOW, new AnalysisVerdict(id + "/step-1", id, Verdict.SUCCESSFUL, "ok", NOW, List.of()))));
        ExecutorCommand promote = COMMANDS.decode(commands.readValue()).data();
        result(id, promote.commandId(), null);
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get(id).phase())
                .isEqualTo(Phase.PROMOTED);
        driver.close();
    }

    private void result(String id, String commandId, TrafficState traffic) {
        inputs.get(Topics.EXECUTOR_RESULTS).pipeInput(id, EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(
                SOURCE, id, NOW, new ExecutorResult.Succeeded(commandId, id, NOW, "done", traffic))));
    }

    /** The planner's input examples in docs/examples, and one request per strategy. */
    static List<String> examples() {
        List<String> names = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(JsonMutator.docs().resolve("examples"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> TOPICS.keySet().stream().anyMatch(n::startsWith)).sorted().forEach(names::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String strategy : List.of("canary", "blue-green", "rolling", "recreate", "ab-test", "shadow",
                "api-versions")) {
            names.add("strategies/" + strategy + ".json");
        }
        assertThat(names).hasSizeGreaterThan(TOPICS.size() + 7);
        return names;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void noMutationOfAnInputStopsThePlanner(String example) {
        byte[] valid = JsonMutator.read(JsonMutator.docs().resolve("examples").resolve(example));
        String type = typeOf(valid);
        String topic = TOPICS.entrySet().stream().filter(e -> type.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
        for (long seed = 0; seed < SEEDS; seed++) {
            byte[] mutated = JsonMutator.mutate(valid, seed);
            String key = seed % 7 == 0 ? null : "fuzz-" + (seed % 5);
            clock.advance(Duration.ofSeconds(1));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            try {
                inputs.get(topic).pipeInput(key, mutated);
            } catch (RuntimeException e) {
                // the test driver fails on anything that escapes the processor
                throw new AssertionError("seed " + seed + " of " + example + " escaped the processor: "
                        + new String(mutated, 0, Math.min(mutated.length, 600), StandardCharsets.UTF_8), e);
            }
        }
    }

    private static String typeOf(byte[] example) {
        String json = new String(example, StandardCharsets.UTF_8);
        int at = json.indexOf("\"type\"");
        int start = json.indexOf('"', json.indexOf(':', at) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }
}
