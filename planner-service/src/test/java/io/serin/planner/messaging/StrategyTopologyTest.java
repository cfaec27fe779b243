package io.serin.planner.messaging;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Topics;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.planner.plan.Phase;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.RequestValidator;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every published strategy example, carried from request to promotion (and, separately, to
 * rollback) through the real topology, with this test answering as executor, analyzer, operator and
 * clock. Each command must be answered exactly once and the log must be gapless.
 */
class StrategyTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<AnalysisCommand> ANALYSES = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("..", "docs", "examples", "strategies")).sorted();
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final List<ExecutorCommand> commands = new ArrayList<>();
    private final List<ReleaseEvent> log = new ArrayList<>();

    @ParameterizedTest
    @MethodSource("examples")
    void runsToPromotion(Path example) throws IOException {
        ReleaseState end = run(example, false);
        assertThat(end.phase()).as(example.toString()).isEqualTo(Phase.PROMOTED);
        assertThat(log).last().isInstanceOf(ReleaseEvent.Promoted.class);
        assertThat(commands).extracting(ExecutorCommand::commandId).doesNotHaveDuplicates();
        assertThat(log).extracting(ReleaseEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void rollsBackWhenTheFirstCommandFails(Path example) throws IOException {
        ReleaseState end = run(example, true);
        assertThat(end.phase()).as(example.toString()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(end.outcome()).contains("could not be applied");
    }

    private ReleaseState run(Path example, boolean failFirst) throws IOException {
        ReleaseRequested request = (ReleaseRequested) REQUESTS.decode(Files.readAllBytes(example)).data();
        String id = request.releaseId();
        var topology = new PlannerTopology(new ReleasePlanner(io.serin.planner.plan.Requests.validator()), clock, SOURCE)
                .build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "strategy-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, NOW)) {
            var s = Serdes.String();
            var b = Serdes.ByteArray();
            TestInputTopic<String, byte[]> requests = driver.createInputTopic(Topics.RELEASE_REQUESTS, s.serializer(),
                    b.serializer());
            TestInputTopic<String, byte[]> results = driver.createInputTopic(Topics.EXECUTOR_RESULTS, s.serializer(),
                    b.serializer());
            TestInputTopic<String, byte[]> verdicts = driver.createInputTopic(Topics.ANALYSIS_VERDICTS,
                    s.serializer(), b.serializer());
            TestOutputTopic<String, byte[]> commandTopic = driver.createOutputTopic(Topics.EXECUTOR_COMMANDS,
                    s.deserializer(), b.deserializer());
            TestOutputTopic<String, byte[]> analysisTopic = driver.createOutputTopic(Topics.ANALYSIS_COMMANDS,
                    s.deserializer(), b.deserializer());
            TestOutputTopic<String, byte[]> eventTopic = driver.createOutputTopic(Topics.RELEASE_EVENTS,
                    s.deserializer(), b.deserializer());
            KeyValueStore<String, ReleaseState> store = driver.getKeyValueStore(PlannerTopology.STORE);

            requests.pipeInput(id, Files.readAllBytes(example));
            for (int round = 0; round < 100; round++) {
                eventTopic.readValuesToList().forEach(v -> log.add(EVENTS.decode(v).data()));
                ReleaseState state = store.get(id);
                if (state.phase().terminal()) {
                    return state;
                }
                if (!commandTopic.isEmpty()) {
                    ExecutorCommand c = COMMANDS.decode(commandTopic.readValue()).data();
                    commands.add(c);
                    ExecutorResult result = failFirst && commands.size() == 1
                            ? new ExecutorResult.Failed(c.commandId(), id, clock.instant(),
                                    io.serin.events.FailureReason.NOT_READY, "never ready")
                            : new ExecutorResult.Succeeded(c.commandId(), id, clock.instant(), "done", null);
                    results.pipeInput(id, EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, id,
                            clock.instant(), result)));
                } else if (!analysisTopic.isEmpty()) {
                    AnalysisCommand a = ANALYSES.decode(analysisTopic.readValue()).data();
                    if (a.analysisId().endsWith("/background")) {
                        continue; // runs beside the steps; its verdict is not awaited
                    }
                    verdicts.pipeInput(id, EventCodec.of(VerdictMessage.class).encode(CloudEvent.of(SOURCE, id,
                            clock.instant(), new AnalysisVerdict(a.analysisId(), id, Verdict.SUCCESSFUL, "fine",
                                    clock.instant(), List.of()))));
                } else if (state.phase() == Phase.PAUSED && state.resumeAt() != null) {
                    Duration wait = Duration.between(clock.instant(), state.resumeAt());
                    clock.set(state.resumeAt());
                    driver.advanceWallClockTime(wait.isNegative() ? Duration.ZERO : wait);
                } else if (state.phase() == Phase.PAUSED || state.phase() == Phase.SERVING) {
                    ReleaseAction action = state.phase() == Phase.SERVING ? ReleaseAction.RETIRE : ReleaseAction.PROMOTE;
                    requests.pipeInput(id, REQUESTS.encode(CloudEvent.of(SOURCE, id, clock.instant(),
                            new ReleaseActionRequested(id, "op-" + round, action, "operator", null))));
                } else {
                    throw new AssertionError("stuck in " + state.phase() + " at step " + state.stepIndex());
                }
            }
            throw new AssertionError("no terminal phase after 100 rounds: " + store.get(id).phase());
        }
    }
}
