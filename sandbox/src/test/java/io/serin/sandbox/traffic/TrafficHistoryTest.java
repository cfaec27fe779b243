package io.serin.sandbox.traffic;

import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Topics;
import io.serin.events.Variant;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history the simulator sends when an analysis starts, as the analyzer's Prometheus source would:
 * the stable deployment's recent traffic, per step, for each variant the checks compare with.
 */
class TrafficHistoryTest {

    /** A cluster of its own: the release id of the fixture's variants is the same in every namespace. */
    private static final TrafficFixture FIXTURE = new TrafficFixture();
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final URI PLANNER = URI.create("urn:serin:test");

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    private static final List<MetricCheck> CHECKS = List.of(
            new MetricCheck("error-rate", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                    new Judge.Sequential(0.01, 0.01, 1.0), 100L, Variant.STABLE),
            new MetricCheck("latency", Variant.CANARY, new Measure.Latency("latency", 0.99),
                    new Judge.Sequential(0.01, 0.01, 1.0), 100L, Variant.BASELINE),
            new MetricCheck("error-rate-default", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                    new Judge.Sequential(0.01, 0.01, 1.0), 100L, null),
            new MetricCheck("error-ceiling", Variant.CANARY, new Measure.Ratio("errors", "requests"),
                    new Judge.Threshold(null, 0.1), 100L, null));

    @Test
    void sendsTheStableDeploymentsStepsForEachComparedVariantWhenAnAnalysisStarts() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "pay", 3);
        FIXTURE.variant(ns, "pay", "canary", "v2-errors", 1);
        FIXTURE.awaitReady(ns);
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());

        try (TrafficSimulator simulator = new TrafficSimulator(FIXTURE.client(), producer,
                TrafficSimulatorTest.NO_COMMANDS, 1000, Duration.ofMillis(250), ClientPopulation.DEFAULT, 0,
                Duration.ZERO)) {
            // ten whole seconds of ticks, from a second's start, and one tick of the next
            Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
            for (int i = 1; i <= 41; i++) {
                simulator.tickOnce(base.plusMillis(250L * i));
            }
            // what the samples said stable served in each second
            Map<Instant, Double> perSecond = new TreeMap<>();
            for (ProducerRecord<String, byte[]> r : producer.history()) {
                if (!r.key().equals(TrafficFixture.RELEASE)) {
                    continue; // another test's release in this cluster
                }
                MetricSampleBatch batch = (MetricSampleBatch) SAMPLES.decode(r.value()).data();
                for (int k = 0; k < batch.samples().size(); k++) {
                    var s = batch.sample(k);
                    if (s.variant() == Variant.STABLE && s.metric().equals("requests")) {
                        Instant second = s.time().minusMillis(1).truncatedTo(ChronoUnit.SECONDS);
                        perSecond.merge(second, s.value(), Double::sum);
                    }
                }
            }
            List<Double> expected = perSecond.entrySet().stream().filter(e -> e.getKey().isBefore(base.plusSeconds(10)))
                    .map(Map.Entry::getValue).toList();
            assertThat(expected).hasSize(10).allSatisfy(v -> assertThat(v).isBetween(740.0, 760.0));

            AnalysisCommand.Start start = new AnalysisCommand.Start("an-1", TrafficFixture.RELEASE,
                    base.plusSeconds(10), Duration.ofMinutes(5), CHECKS);
            List<MetricHistory> histories = simulator.histories(start);
            assertThat(histories).extracting(MetricHistory::variant)
                    .as("stable (named or by default) and baseline; the threshold compares with nothing")
                    .containsExactlyInAnyOrder(Variant.STABLE, Variant.BASELINE);
            for (MetricHistory h : histories) {
                assertThat(h.problem()).isNull();
                assertThat(h.releaseId()).isEqualTo(TrafficFixture.RELEASE);
                assertThat(h.start()).isEqualTo(base);
                assertThat(h.step()).isEqualTo(Duration.ofSeconds(1));
                assertThat(h.series()).extracting(MetricHistory.Series::metric).containsOnly("requests", "errors",
                        "latency").hasSize(3 + LatencyModel.BOUNDS.length);
                assertThat(series(h, "requests", null)).as("the baseline's is the stable deployment's")
                        .isEqualTo(expected);
                assertThat(series(h, "errors", null)).as("1% of them").hasSize(10).allSatisfy(e -> assertThat(e).isBetween(7.0, 8.0));
                assertThat(series(h, "latency", null)).hasSize(10).allSatisfy(n -> assertThat(n).isBetween(730.0,
                        760.0));
                assertThat(series(h, "latency", LatencyModel.BOUNDS[LatencyModel.BOUNDS.length - 1]))
                        .isEqualTo(series(h, "latency", null));
            }

            assertThat(simulator.histories(new AnalysisCommand.Start("an-2", "unknown-release",
                    base.plusSeconds(10), Duration.ofMinutes(5), CHECKS))).as("a release not in flight here").isEmpty();
            assertThat(simulator.histories(new AnalysisCommand.Start("an-3", TrafficFixture.RELEASE,
                    base.plusSeconds(10), Duration.ofMinutes(5), List.of(CHECKS.get(3))))).as("only a threshold")
                    .isEmpty();
            assertThat(simulator.histories(new AnalysisCommand.Start("an-4", TrafficFixture.RELEASE,
                    base.plusMillis(500), Duration.ofMinutes(5), CHECKS))).as("no whole step before it starts")
                    .isEmpty();

            producer.clear();
            simulator.sendHistories(start, Instant.now());
            assertThat(producer.history()).hasSize(2).allSatisfy(r -> {
                assertThat(r.topic()).isEqualTo(Topics.METRIC_SAMPLES);
                assertThat(r.key()).isEqualTo(TrafficFixture.RELEASE);
                CloudEvent<SampleMessage> event = SAMPLES.decode(r.value());
                MetricHistory h = (MetricHistory) event.data();
                assertThat(event.id()).isEqualTo("an-1/" + h.variant().label() + "/history");
                assertThat(event.source()).isEqualTo(URI.create("urn:serin:sandbox:traffic"));
            });
        }
    }

    @Test
    void aStartCommandReadFromTheTopicSendsTheHistoryOnceTheAnalysisHasStarted() throws InterruptedException {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "shop", 2);
        FIXTURE.awaitReady(ns);
        FIXTURE.client().apps().deployments().inNamespace(ns).withName("shop").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("serin.io/release", "rolling-1"));
            return d;
        });
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());

        try (TrafficSimulator simulator = new TrafficSimulator(FIXTURE.client(), producer,
                TrafficSimulatorTest.NO_COMMANDS, 1000, Duration.ofMillis(250), ClientPopulation.DEFAULT, 0,
                Duration.ZERO)) {
            Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
            for (int i = 1; i <= 20; i++) {
                simulator.tickOnce(base.plusMillis(250L * i));
            }
            producer.clear();
            simulator.read("not a command".getBytes(StandardCharsets.UTF_8));
            simulator.read(command(new AnalysisCommand.Start("over", "rolling-1", base.minusSeconds(120),
                    Duration.ofMinutes(1), CHECKS)));
            simulator.read(command(new AnalysisCommand.Start("an-1", "rolling-1", base.plusSeconds(5),
                    Duration.ofMinutes(5), List.of(CHECKS.get(0)))));

            await().atMost(Duration.ofSeconds(5)).until(() -> !producer.history().isEmpty());
            Thread.sleep(300);
            assertThat(producer.history()).hasSize(1);
            MetricHistory h = (MetricHistory) SAMPLES.decode(producer.history().get(0).value()).data();
            assertThat(h.releaseId()).isEqualTo("rolling-1");
            assertThat(h.variant()).isEqualTo(Variant.STABLE);
            assertThat(h.start()).isEqualTo(base);
            assertThat(series(h, "requests", null)).hasSize(5).allSatisfy(v -> assertThat(v).isEqualTo(1000.0));
        }
    }

    @Test
    void anAppsStableDeploymentHasServedTheHourBeforeTheSimulatorFirstSawIt() {
        String ns = FIXTURE.namespace();
        FIXTURE.app(ns, "cart", 2);
        FIXTURE.awaitReady(ns);
        FIXTURE.client().apps().deployments().inNamespace(ns).withName("cart").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("serin.io/release", "rolling-2"));
            return d;
        });
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());

        try (TrafficSimulator simulator = new TrafficSimulator(FIXTURE.client(), producer,
                TrafficSimulatorTest.NO_COMMANDS, 1000, Duration.ofMillis(250), ClientPopulation.DEFAULT, 0,
                Duration.ofHours(2))) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            simulator.tickOnce(now);
            List<MetricHistory> histories = simulator.histories(new AnalysisCommand.Start("an-1", "rolling-2", now,
                    Duration.ofMinutes(5), List.of(CHECKS.get(0))));
            assertThat(histories).singleElement().satisfies(h -> {
                assertThat(h.problem()).isNull();
                assertThat(h.start()).isEqualTo(now.minus(Duration.ofHours(1)));
                assertThat(series(h, "requests", null)).as("an hour at most").hasSize(3600)
                        .allSatisfy(v -> assertThat(v).isEqualTo(1000.0));
                assertThat(series(h, "errors", null)).allSatisfy(v -> assertThat(v).isEqualTo(10.0));
            });
        }
    }

    private static byte[] command(AnalysisCommand.Start start) {
        return COMMANDS.encode(CloudEvent.of(PLANNER, start.releaseId(), Instant.now(), start));
    }

    private static List<Double> series(MetricHistory h, String metric, Double le) {
        return h.series().stream().filter(s -> s.metric().equals(metric) && java.util.Objects.equals(s.le(), le))
                .findFirst().orElseThrow().values();
    }
}
