package io.serin.planner.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.AnalysisCommand;
import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.planner.plan.Requests;
import io.serin.testsupport.KafkaTestResource;

import static io.serin.testsupport.TopicRecords.awaitRecords;
import static io.serin.testsupport.TopicRecords.header;
import static io.serin.testsupport.TopicRecords.send;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The planner as deployed: Quarkus, Kafka Streams with exactly_once_v2, a real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = io.serin.testsupport.OperatorAccessResource.class, restrictToAnnotatedClass = true)
class PlannerIT {

    private static final URI SOURCE = URI.create("urn:test:planner-it");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final EventCodec<AnalysisCommand> ANALYSES = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);

    @Test
    void commandsTheFirstStepAndStartsTheAnalysisOnceTheExecutorSucceeds() {
        String releaseId = uniqueReleaseId();
        send(Topics.RELEASE_REQUESTS, releaseId,
                REQUESTS.encode(CloudEvent.of(SOURCE, releaseId, Instant.now(), Requests.canaryOn(target(releaseId),
                        releaseId))));

        ExecutorCommand command = COMMANDS.decode(awaitRecords(Topics.EXECUTOR_COMMANDS, releaseId, 1).get(0).value())
                .data();
        assertThat(command).isInstanceOfSatisfying(ExecutorCommand.SetCanaryWeight.class, c -> {
            assertThat(c.commandId()).isEqualTo(releaseId + "/step-0");
            assertThat(c.target()).isEqualTo(target(releaseId));
            assertThat(c.to()).isEqualTo(Requests.V2);
            assertThat(c.weight()).isEqualTo(25);
            assertThat(c.routing()).isInstanceOf(TrafficRouting.ReplicaRatio.class);
        });
        assertThat(events(releaseId, 2)).extracting(ReleaseEvent::sequence, e -> e.getClass().getSimpleName())
                .containsExactly(tuple(1L, "Accepted"), tuple(2L, "StepStarted"));

        send(Topics.EXECUTOR_RESULTS, releaseId, RESULTS.encode(CloudEvent.of(SOURCE, releaseId, Instant.now(),
                new ExecutorResult.Succeeded(command.commandId(), releaseId, Instant.now(), "1 canary / 3 stable",
                        new TrafficState(25, 1, 3)))));

        AnalysisCommand analysis = ANALYSES.decode(awaitRecords(Topics.ANALYSIS_COMMANDS, releaseId, 1).get(0).value())
                .data();
        assertThat(analysis).isInstanceOfSatisfying(AnalysisCommand.Start.class, start -> {
            assertThat(start.analysisId()).isEqualTo(releaseId + "/step-1");
            assertThat(start.duration()).isEqualTo(Duration.ofSeconds(30));
            assertThat(start.metrics()).extracting(m -> m.name()).containsExactly("error-rate");
        });
        List<ReleaseEvent> log = events(releaseId, 4);
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(log.get(2)).isInstanceOfSatisfying(ReleaseEvent.StepCompleted.class,
                done -> assertThat(done.traffic()).isEqualTo(new TrafficState(25, 1, 3)));
        assertThat(log.get(3)).isInstanceOfSatisfying(ReleaseEvent.StepStarted.class,
                started -> assertThat(started.step()).isInstanceOf(CanaryStep.Analysis.class));
    }

    /** A target of its own: releases of other tests stay active on theirs (one release per target). */
    private static io.serin.events.WorkloadRef target(String releaseId) {
        return new io.serin.events.WorkloadRef("Deployment", "payments", "app-" + releaseId);
    }

    @Test
    void deadLettersARequestThatIsNotJsonWithItsReason() {
        String releaseId = uniqueReleaseId();
        long offset = send(Topics.RELEASE_REQUESTS, releaseId, "{not json".getBytes(StandardCharsets.UTF_8));

        ConsumerRecord<String, byte[]> deadLetter =
                awaitRecords(Topics.deadLetter(Topics.RELEASE_REQUESTS), releaseId, 1).get(0);
        assertThat(header(deadLetter, Topics.DLQ_REASON_HEADER)).startsWith("not JSON");
        assertThat(header(deadLetter, Topics.DLQ_ORIGIN_HEADER)).startsWith(Topics.RELEASE_REQUESTS + "/")
                .endsWith("/" + offset);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void isReadyAndExposesPrometheusMetrics() {
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Kafka Streams topics health check")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka Streams state health check"));
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("kafka_stream_thread_process_ratio{"));
    }

    private static String uniqueReleaseId() {
        return "rel-" + UUID.randomUUID();
    }

    private static List<ReleaseEvent> events(String releaseId, int count) {
        return awaitRecords(Topics.RELEASE_EVENTS, releaseId, count).stream().map(r -> EVENTS.decode(r.value()).data())
                .toList();
    }

}
