package io.serin.planner.messaging;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import io.serin.events.VerdictMessage;
import io.serin.events.Violation;
import io.serin.planner.plan.Phase;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.RequestValidator;
import io.serin.planner.plan.Requests;
import io.serin.testsupport.MutableClock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs that once stopped the planner for every release: values no validation foresaw, and records
 * without the ids that tie them to a release. Each ends dead-lettered or as a recorded rejection or
 * halt, and the next release on the same target still runs to its end.
 */
class PoisonInputsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final URI SOURCE = URI.create("urn:test");
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final Duration ABSURD = Duration.parse("PT9999999999999H");

    private final MutableClock clock = new MutableClock(NOW);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> requests;
    private TestInputTopic<String, byte[]> results;
    private TestInputTopic<String, byte[]> verdicts;
    private TestOutputTopic<String, byte[]> commands;
    private TestOutputTopic<String, byte[]> events;

    private void start(RequestValidator validator) {
        var topology = new PlannerTopology(new ReleasePlanner(validator), clock, SOURCE).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-poison-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, NOW);
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        requests = driver.createInputTopic(Topics.RELEASE_REQUESTS, s.serializer(), b.serializer());
        results = driver.createInputTopic(Topics.EXECUTOR_RESULTS, s.serializer(), b.serializer());
        verdicts = driver.createInputTopic(Topics.ANALYSIS_VERDICTS, s.serializer(), b.serializer());
        commands = driver.createOutputTopic(Topics.EXECUTOR_COMMANDS, s.deserializer(), b.deserializer());
        events = driver.createOutputTopic(Topics.RELEASE_EVENTS, s.deserializer(), b.deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void rejectsADeadlineBeyondTheBoundNamingTheFieldAndRunsTheNextRelease() {
        start(io.serin.planner.plan.Requests.validator());
        requests.pipeInput("huge", REQUESTS.encode(CloudEvent.of(SOURCE, "huge", NOW, withDeadline("huge", ABSURD))));
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) readEvents().get(0);
        assertThat(rejected.violations()).extracting(Violation::field).containsExactly("strategy.progressDeadline");
        assertThat(rejected.violations().get(0).message()).contains("at most PT24H");

        runToPromotion("next");
    }

    @Test
    void rejectsAPauseBeyondTheBound() {
        start(io.serin.planner.plan.Requests.validator());
        var steps = List.<CanaryStep>of(new CanaryStep.Pause(ABSURD), new CanaryStep.SetWeight(50));
        requests.pipeInput("p", REQUESTS.encode(CloudEvent.of(SOURCE, "p", NOW, Requests.canary("p", steps))));
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) readEvents().get(0);
        assertThat(rejected.violations()).extracting(Violation::field).containsExactly("strategy.steps[0].duration");
    }

    @Test
    void whatValidationMissesIsRejectedWithTheReasonAndFreesTheTarget() {
        // a validator with a gap: it lets an unplannable deadline through, as a future field might
        start(new RequestValidator(io.serin.planner.plan.Requests.ANY_NAMESPACE, io.serin.planner.plan.Requests.ANY_IMAGE) {
            @Override
            public List<Violation> validate(ReleaseRequested request, String recordKey) {
                return List.of();
            }
        });
        requests.pipeInput("huge", REQUESTS.encode(CloudEvent.of(SOURCE, "huge", NOW, withDeadline("huge", ABSURD))));
        List<ReleaseEvent> log = readEvents();
        assertThat(log).singleElement().isInstanceOfSatisfying(ReleaseEvent.Rejected.class, r ->
                assertThat(r.violations().get(0).message()).startsWith("could not be planned: DateTimeException"));
        assertThat(deadLetters(Topics.RELEASE_REQUESTS).isEmpty()).isTrue();
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("huge").phase())
                .isEqualTo(Phase.REJECTED);

        runToPromotion("next"); // the target was freed: the next release is admitted at once
    }

    @Test
    void aRunningReleaseThatCannotBePlannedFurtherIsHaltedNotLeftLive() {
        // the first step plans fine; the gap shows only when the analysis step computes its deadline
        start(new RequestValidator(io.serin.planner.plan.Requests.ANY_NAMESPACE, io.serin.planner.plan.Requests.ANY_IMAGE) {
            @Override
            public List<Violation> validate(ReleaseRequested request, String recordKey) {
                return List.of();
            }
        });
        var steps = List.<CanaryStep>of(new CanaryStep.SetWeight(25),
                new CanaryStep.Analysis(ABSURD, List.of(Requests.errorRate(0.05))));
        requests.pipeInput("r", REQUESTS.encode(CloudEvent.of(SOURCE, "r", NOW, Requests.canary("r", steps))));
        ExecutorCommand first = COMMANDS.decode(commands.readValue()).data();
        results.pipeInput("r", EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, "r", NOW,
                new ExecutorResult.Succeeded(first.commandId(), "r", NOW, "25%", new TrafficState(25, 1, 3)))));

        assertThat(deadLetters(Topics.EXECUTOR_RESULTS).readRecord().headers().lastHeader(Topics.DLQ_REASON_HEADER))
                .isNotNull();
        ExecutorCommand rollback = COMMANDS.decode(commands.readValue()).data();
        assertThat(rollback).isInstanceOf(ExecutorCommand.RollbackCanary.class);
        assertThat(readEvents()).last().isInstanceOfSatisfying(ReleaseEvent.RollbackStarted.class, e ->
                assertThat(e.reason()).startsWith("the planner cannot go on with this release: cannot process"));
        results.pipeInput("r", EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, "r", NOW,
                new ExecutorResult.Succeeded(rollback.commandId(), "r", NOW, "back on stable", null))));
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("r").phase())
                .isEqualTo(Phase.ROLLED_BACK);
        readEvents();
        runToPromotion("next");
    }

    @Test
    void recordsARequestThatReusesAnIdWithOtherContentAndRunsNothing() {
        start(io.serin.planner.plan.Requests.validator());
        runToPromotion("used");
        readEvents();
        ReleaseRequested other = Requests.canaryOn(new io.serin.events.WorkloadRef("Deployment", "payments", "other"),
                "used");
        requests.pipeInput("used", REQUESTS.encode(CloudEvent.of(SOURCE, "used", NOW, other)));
        requests.pipeInput("used", REQUESTS.encode(CloudEvent.of(SOURCE, "used", NOW, Requests.canary("used"))));

        assertThat(readEvents()).singleElement().isInstanceOfSatisfying(ReleaseEvent.RequestRefused.class, e -> {
            assertThat(e.sequence()).isEqualTo(8);
            assertThat(e.reason()).contains("already used by a release with different content (PROMOTED)");
        });
        assertThat(commands.isEmpty()).as("nothing run").isTrue();
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get("used").phase())
                .isEqualTo(Phase.PROMOTED);
    }

    @Test
    void deadLettersInputsWithoutTheIdsThatTieThemToARelease() {
        start(io.serin.planner.plan.Requests.validator());
        results.pipeInput("x", envelope("io.serin.executor.result.succeeded.v1", "{\"completedAt\":\"" + NOW + "\"}"));
        verdicts.pipeInput("x", envelope("io.serin.analysis.verdict.v1", "{\"releaseId\":\"x\",\"verdict\":\"FAILED\"}"));
        requests.pipeInput("x", envelope("io.serin.release.action-requested.v1", "{\"releaseId\":\"x\"}"));

        assertThat(reason(deadLetters(Topics.EXECUTOR_RESULTS).readRecord()))
                .contains("releaseId: is required", "commandId: is required");
        assertThat(reason(deadLetters(Topics.ANALYSIS_VERDICTS).readRecord())).contains("analysisId: is required");
        assertThat(reason(deadLetters(Topics.RELEASE_REQUESTS).readRecord())).contains("action: is required");

        runToPromotion("after-junk");
    }

    private void runToPromotion(String id) {
        requests.pipeInput(id, REQUESTS.encode(CloudEvent.of(SOURCE, id, NOW, Requests.canary(id))));
        ExecutorCommand setWeight = COMMANDS.decode(commands.readValue()).data();
        results.pipeInput(id, EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, id, NOW,
                new ExecutorResult.Succeeded(setWeight.commandId(), id, NOW, "25%", new TrafficState(25, 1, 3)))));
        verdicts.pipeInput(id, EventCodec.of(VerdictMessage.class).encode(CloudEvent.of(SOURCE, id, NOW,
                new AnalysisVerdict(id + "/step-1", id, Verdict.SUCCESSFUL, "ok", NOW, List.of()))));
        ExecutorCommand promote = COMMANDS.decode(commands.readValue()).data();
        assertThat(promote).isInstanceOf(ExecutorCommand.PromoteCanary.class);
        results.pipeInput(id, EventCodec.of(ExecutorResult.class).encode(CloudEvent.of(SOURCE, id, NOW,
                new ExecutorResult.Succeeded(promote.commandId(), id, NOW, "promoted", null))));
        assertThat(driver.<String, ReleaseState>getKeyValueStore(PlannerTopology.STORE).get(id).phase())
                .isEqualTo(Phase.PROMOTED);
    }

    private static ReleaseRequested withDeadline(String id, Duration deadline) {
        ReleaseRequested r = Requests.canary(id);
        Strategy.Canary c = (Strategy.Canary) r.strategy();
        return Requests.request(id, new Strategy.Canary(c.trafficRouting() == null ? new TrafficRouting.ReplicaRatio()
                : c.trafficRouting(), c.steps(), deadline, null));
    }

    private List<ReleaseEvent> readEvents() {
        return events.readValuesToList().stream().map(v -> EVENTS.decode(v).data()).toList();
    }

    private TestOutputTopic<String, byte[]> deadLetters(String topic) {
        return driver.createOutputTopic(Topics.deadLetter(topic), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    private static String reason(TestRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static byte[] envelope(String type, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"urn:x\",\"type\":\"" + type
                + "\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
