package io.serin.planner.messaging;

import io.serin.events.AnalysisCommand;
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
import io.serin.planner.plan.Requests;
import io.serin.planner.plan.RequestValidator;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);


    private final MutableClock clock = new MutableClock(NOW);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> requests;
    private TestInputTopic<String, byte[]> results;
    private TestInputTopic<String, byte[]> verdicts;
    private TestOutputTopic<String, byte[]> commands;
    private TestOutputTopic<String, byte[]> analyses;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> requestDeadLetters;

    @BeforeEach
    void start() {
        var planner = new ReleasePlanner(io.serin.planner.plan.Requests.validator());
        var topology = new PlannerTopology(planner, clock, SOURCE).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, NOW);
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        requests = driver.createInputTopic(Topics.RELEASE_REQUESTS, s.serializer(), b.serializer());
        results = driver.createInputTopic(Topics.EXECUTOR_RESULTS, s.serializer(), b.serializer());
        verdicts = driver.createInputTopic(Topics.ANALYSIS_VERDICTS, s.serializer(), b.serializer());
        commands = driver.createOutputTopic(Topics.EXECUTOR_COMMANDS, s.deserializer(), b.deserializer());
        analyses = driver.createOutputTopic(Topics.ANALYSIS_COMMANDS, s.deserializer(), b.deserializer());
        events = driver.createOutputTopic(Topics.RELEASE_EVENTS, s.deserializer(), b.deserializer());
        requestDeadLetters = driver.createOutputTopic(Topics.deadLetter(Topics.RELEASE_REQUESTS), s.deserializer(),
                b.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void request(String key, byte[] value) {
        requests.pipeInput(key, value);
    }

    private List<ReleaseEvent> readEvents() {
        return events.readValuesToList().stream().map(v -> EVENTS.decode(v).data()).toList();
    }

    @Test
    void carriesACanaryFromRequestToPromotionThroughTheStore() {
        request("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, Requests.canary("r1"))));
        CloudEvent<ExecutorCommand> setWeight = EventCodec.of(ExecutorCommand.class).decode(commands.readValue());
        assertThat(setWeight.id()).isEqualTo("r1/step-0");
        assertThat(setWeight.subject()).isEqualTo("r1");

        results.pipeInput("r1", EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, "r1", NOW,
                new ExecutorResult.Succeeded("r1/step-0", "r1", NOW, "1 canary / 3 stable", new TrafficState(25, 1, 3)))));
        AnalysisCommand start = EventCodec.of(AnalysisCommand.class).decode(analyses.readValue()).data();
        assertThat(start.analysisId()).isEqualTo("r1/step-1");

        verdicts.pipeInput("r1", EventCodec.of(VerdictMessage.class).encode(CloudEvent.of(SOURCE, "r1", NOW,
                new AnalysisVerdict("r1/step-1", "r1", Verdict.SUCCESSFUL, "ok", NOW, List.of()))));
        ExecutorCommand promote = EventCodec.of(ExecutorCommand.class).decode(commands.readValue()).data();
        assertThat(promote).isInstanceOf(ExecutorCommand.PromoteCanary.class);

        List<ReleaseEvent> log = readEvents();
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        ReleaseState stored = driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("r1");
        assertThat(stored.phase()).isEqualTo(Phase.PROMOTING);
        assertThat(stored.lastSequence()).isEqualTo(6);
    }

    @Test
    void runsOneReleasePerTargetAndStartsTheQueuedOneWhenTheFirstEnds() {
        request("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, Requests.canary("r1"))));
        request("r2", REQUESTS.encode(CloudEvent.of(SOURCE, "r2", NOW, Requests.canary("r2"))));
        request("r2", REQUESTS.encode(CloudEvent.of(SOURCE, "r2", NOW, Requests.canary("r2"))));
        assertThat(commands.readValuesToList()).hasSize(1);
        List<ReleaseEvent> log = readEvents();
        ReleaseEvent.Queued queued = (ReleaseEvent.Queued) log.stream().filter(e -> e.releaseId().equals("r2"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(queued.behind()).isEqualTo("r1");
        assertThat(queued.position()).isEqualTo(1);
        assertThat(log).filteredOn(e -> e.releaseId().equals("r2")).hasSize(1);

        // r1 is aborted and rolled back: r2 starts
        requests.pipeInput("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, new io.serin.events
                .ReleaseActionRequested("r1", "a1", io.serin.events.ReleaseAction.ABORT, "alice", null))));
        ExecutorCommand rollback = EventCodec.of(ExecutorCommand.class).decode(commands.readValue()).data();
        assertThat(commands.isEmpty()).isTrue();
        results.pipeInput("r1", EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, "r1", NOW,
                new ExecutorResult.Succeeded(rollback.commandId(), "r1", NOW, "back on stable", null))));
        ExecutorCommand first = EventCodec.of(ExecutorCommand.class).decode(commands.readValue()).data();
        assertThat(first.releaseId()).isEqualTo("r2");
        assertThat(readEvents()).filteredOn(e -> e.releaseId().equals("r2"))
                .extracting(e -> e.getClass().getSimpleName()).containsExactly("Accepted", "StepStarted");
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("r2").lastSequence())
                .isEqualTo(3);
    }

    @Test
    void forgetsAFinishedReleaseAfterItsRetentionAndNotBefore() {
        request("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, Requests.canary("r1"))));
        requests.pipeInput("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, new io.serin.events
                .ReleaseActionRequested("r1", "a1", io.serin.events.ReleaseAction.ABORT, "alice", null))));
        commands.readValue();
        ExecutorCommand rollback = EventCodec.of(ExecutorCommand.class).decode(commands.readValue()).data();
        results.pipeInput("r1", EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, "r1", NOW,
                new ExecutorResult.Succeeded(rollback.commandId(), "r1", NOW, "back on stable", null))));
        var store = driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE);
        assertThat(store.get("r1").phase()).isEqualTo(Phase.ROLLED_BACK);

        clock.set(NOW.plus(PlannerTopology.DEFAULT_RETENTION).minusSeconds(1));
        driver.advanceWallClockTime(PlannerTopology.DEFAULT_RETENTION.minusSeconds(1));
        assertThat(store.get("r1")).isNotNull();
        clock.set(NOW.plus(PlannerTopology.DEFAULT_RETENTION));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(store.get("r1")).isNull();
    }

    @Test
    void aQueuedReleaseCanBeWithdrawnAndLeavesTheQueue() {
        request("r1", REQUESTS.encode(CloudEvent.of(SOURCE, "r1", NOW, Requests.canary("r1"))));
        request("r2", REQUESTS.encode(CloudEvent.of(SOURCE, "r2", NOW, Requests.canary("r2"))));
        requests.pipeInput("r2", REQUESTS.encode(CloudEvent.of(SOURCE, "r2", NOW, new io.serin.events
                .ReleaseActionRequested("r2", "a2", io.serin.events.ReleaseAction.ABORT, "bob", "not today"))));
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("r2").phase())
                .isEqualTo(Phase.FAILED);
        var queue = driver.<String, io.serin.planner.plan.Admissions.TargetQueue>getKeyValueStore(
                PlannerTopology.ADMISSIONS).get("payments/payment-gateway");
        assertThat(queue.active()).isEqualTo("r1");
        assertThat(queue.waiting()).isEmpty();
    }

    @Test
    void deadLettersBytesThatAreNotJsonAndKeepsProcessing() {
        request("junk", "{not json".getBytes(StandardCharsets.UTF_8));
        request("r2", REQUESTS.encode(CloudEvent.of(SOURCE, "r2", NOW, Requests.canary("r2"))));

        TestRecord<String, byte[]> dead = requestDeadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(dead, Topics.DLQ_REASON_HEADER)).startsWith("not JSON");
        assertThat(header(dead, Topics.DLQ_ORIGIN_HEADER)).startsWith(Topics.RELEASE_REQUESTS + "/0/");
        assertThat(readEvents()).extracting(ReleaseEvent::releaseId).contains("r2");
    }

    @Test
    void rejectsARequestWithoutTarget() {
        request("r3", envelope("r3", "{\"releaseId\":\"r3\",\"to\":{\"image\":\"x:v2\"},"
                + "\"strategy\":{\"type\":\"canary\",\"steps\":[{\"type\":\"setWeight\",\"weight\":10}]}}"));
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) readEvents().get(0);
        assertThat(rejected.violations()).extracting(Object::toString).containsExactly("target: is required");
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void rejectsANegativeInitialDelayNamingTheField() {
        request("r6", envelope("r6", "{\"releaseId\":\"r6\",\"target\":{\"kind\":\"Deployment\",\"namespace\":"
                + "\"payments\",\"name\":\"payment-gateway\"},\"to\":{\"image\":\"x:v2\"},\"strategy\":{\"type\":"
                + "\"canary\",\"steps\":[{\"type\":\"setWeight\",\"weight\":10},{\"type\":\"analysis\","
                + "\"duration\":\"PT5M\",\"initialDelay\":\"-PT1M\",\"metrics\":[{\"name\":\"error-rate\","
                + "\"measure\":{\"type\":\"ratio\",\"numerator\":\"errors\",\"denominator\":\"requests\"},"
                + "\"judge\":{\"type\":\"threshold\",\"max\":0.05}}]}]}}"));
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) readEvents().get(0);
        assertThat(rejected.releaseId()).isEqualTo("r6");
        assertThat(rejected.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.steps[1].initialDelay");
            assertThat(v.message()).contains("must not be negative", "PT-1M");
        });
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void rejectsAnUnknownStrategyNamingIt() {
        request("r4", envelope("r4", "{\"releaseId\":\"r4\",\"target\":{\"kind\":\"Deployment\",\"namespace\":\"payments\","
                + "\"name\":\"payment-gateway\"},\"to\":{\"image\":\"x:v2\"},\"strategy\":{\"type\":\"blue-green\"}}"));
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) readEvents().get(0);
        assertThat(rejected.releaseId()).isEqualTo("r4");
        assertThat(rejected.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("strategy.type");
            assertThat(v.message()).contains("blue-green", "canary", "blueGreen");
        });
    }

    @Test
    void deadLettersAnEnvelopeOfUnknownTypeAndResultsThatCannotBeRead() {
        request("r5", "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"x\",\"type\":\"com.example.other\",\"data\":{}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(header(requestDeadLetters.readRecord(), Topics.DLQ_REASON_HEADER)).contains("com.example.other");

        results.pipeInput("r5", "[]".getBytes(StandardCharsets.UTF_8));
        var resultDeadLetters = driver.createOutputTopic(Topics.deadLetter(Topics.EXECUTOR_RESULTS),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        assertThat(header(resultDeadLetters.readRecord(), Topics.DLQ_REASON_HEADER)).isEqualTo("not a JSON object");
    }

    @Test
    void endsATimedPauseFromTheTimerStoreOnTheWallClock() {
        var steps = List.<io.serin.events.CanaryStep>of(new io.serin.events.CanaryStep.Pause(java.time.Duration.ofSeconds(30)),
                new io.serin.events.CanaryStep.SetWeight(20));
        request("r7", REQUESTS.encode(CloudEvent.of(SOURCE, "r7", NOW, Requests.canary("r7", steps))));
        assertThat(commands.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(PlannerTopology.TIMERS).approximateNumEntries()).isEqualTo(1);

        clock.set(NOW.plusSeconds(29));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(29));
        assertThat(commands.isEmpty()).as("not before its time").isTrue();

        clock.set(NOW.plusSeconds(30));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        ExecutorCommand.SetCanaryWeight command = (ExecutorCommand.SetCanaryWeight) EventCodec.of(ExecutorCommand.class)
                .decode(commands.readValue()).data();
        assertThat(command.weight()).isEqualTo(20);
        assertThat(readEvents()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Accepted", "StepStarted", "Paused", "Resumed", "StepStarted");
    }

    @Test
    void recordsOperatorActionsAndDeadLettersActionsForUnknownReleases() {
        request("r8", REQUESTS.encode(CloudEvent.of(SOURCE, "r8", NOW, Requests.canary("r8"))));
        request("r8", REQUESTS.encode(CloudEvent.of(SOURCE, "r8", NOW, new io.serin.events.ReleaseActionRequested("r8",
                "act-1", io.serin.events.ReleaseAction.ABORT, "bob", "wrong version"))));
        assertThat(readEvents()).extracting(e -> e.getClass().getSimpleName()).endsWith("ActionApplied",
                "RollbackStarted");

        request("nope", REQUESTS.encode(CloudEvent.of(SOURCE, "nope", NOW, new io.serin.events.ReleaseActionRequested(
                "nope", "act-2", io.serin.events.ReleaseAction.PAUSE, "bob", null))));
        assertThat(header(requestDeadLetters.readRecord(), Topics.DLQ_REASON_HEADER))
                .isEqualTo("operator action PAUSE for unknown release 'nope'");
    }

    @Test
    void treatsARepeatedRequestAsADuplicate() {
        byte[] request = REQUESTS.encode(CloudEvent.of(SOURCE, "r6", NOW, Requests.canary("r6")));
        request("r6", request);
        request("r6", request);
        assertThat(commands.readValuesToList()).hasSize(1);
        assertThat(readEvents()).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L);
    }

    private static byte[] envelope(String subject, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + subject + "\",\"source\":\"urn:ci\",\"type\":"
                + "\"io.serin.release.requested.v1\",\"subject\":\"" + subject + "\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
