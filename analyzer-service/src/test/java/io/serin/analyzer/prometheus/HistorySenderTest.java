package io.serin.analyzer.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.events.AnalysisCommand;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricHistory;
import io.serin.events.SampleMessage;
import io.serin.events.Variant;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The history sent when an analysis starts, against a stub Prometheus answering range queries as
 * Prometheus 2.42 does (a matrix, steps without a point left out): what is queried, what is sent,
 * when, and that a failure sends nothing and costs one timeout.
 */
class HistorySenderTest {

    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "shop", "web");
    private static final String SELECTOR = "{namespace=\"{{namespace}}\",workload=\"{{workload}}\","
            + "variant=\"{{variant}}\"}[{{window}}]";
    private static final Map<String, QueryTemplate> TEMPLATES = Map.of(
            "errors", QueryTemplate.parse("errors", "sum(increase(http_errors_total" + SELECTOR + "))"),
            "requests", QueryTemplate.parse("requests", "sum(increase(http_requests_total" + SELECTOR + "))"));
    private static final Measure RATIO = new Measure.Ratio("errors", "requests");

    /** A query received: its form and when. */
    private record Received(Map<String, String> form, Instant at) {
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private ScheduledExecutorService historyThread;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Schedule schedule = new Schedule(Duration.ofSeconds(30), Duration.ZERO);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<String, SampleMessage>> published = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    /** Per query, the value of each step (null: no point), or null for an empty matrix. */
    private volatile Function<String, List<String>> answers = q -> null;
    private volatile boolean hang;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/api/v1/query_range", this::answer);
        server.start();
        historyThread = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        release.countDown();
        historyThread.shutdownNow();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        received.add(new Received(form, Instant.now()));
        if (hang) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> values = answers.apply(form.get("query"));
        StringBuilder points = new StringBuilder();
        if (values != null) {
            BigDecimal start = new BigDecimal(form.get("start"));
            BigDecimal step = new BigDecimal(form.get("step"));
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) != null) {
                    points.append(points.isEmpty() ? "" : ",").append('[')
                            .append(start.add(step.multiply(BigDecimal.valueOf(i))).toPlainString())
                            .append(",\"").append(values.get(i)).append("\"]");
                }
            }
        }
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + (values == null ? "" : "{\"metric\":{},\"values\":[" + points + "]}") + "]}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private HistorySender sender(Duration history, Duration delay, Duration timeout) {
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2), timeout);
        return new HistorySender(TEMPLATES, history, HistorySender.step(Duration.ofSeconds(2)), delay, client,
                (id, m) -> published.add(Map.entry(id, m)),
                new SourceMetrics(registry, TEMPLATES.keySet()), schedule, Clock.systemUTC(), historyThread);
    }

    private HistorySender sender(Duration history) {
        return sender(history, Duration.ZERO, Duration.ofSeconds(5));
    }

    private int steps;

    /**
     * A followed analysis (as the reader would have it) of release rel-1, the next step of the one
     * before, with these checks, starting at {@code startAt}.
     */
    private AnalysisCommand.Start followed(Instant startAt, MetricCheck... checks) {
        AnalysisCommand.Start start = new AnalysisCommand.Start("rel-1/step-" + ++steps, "rel-1", startAt,
                Duration.ofHours(1), List.of(checks), TARGET);
        assertThat(schedule.track(start, 0, QueryPlan.groups(start.metrics(), TEMPLATES.keySet()), false,
                Instant.now())).isTrue();
        return start;
    }

    private static MetricCheck sequential(Variant compareTo) {
        return new MetricCheck("error-rate", Variant.CANARY, RATIO, new Judge.Sequential(null, null, null), null,
                compareTo);
    }

    /** Waits until what the history thread had to do by now is done. */
    private void drained() throws InterruptedException, ExecutionException {
        historyThread.submit(() -> { }).get();
    }

    private double histories(String outcome) {
        return registry.get(SourceMetrics.HISTORIES).tag("outcome", outcome).counter().count();
    }

    @Test
    void sendsOneHistoryOfTheComparedVariantWithTheRoundsQueriesPerFiveSecondStep() throws Exception {
        Instant startAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(2);
        AnalysisCommand.Start start = followed(startAt, sequential(null), new MetricCheck("timeouts-share",
                Variant.CANARY, new Measure.Ratio("requests", "errors"), new Judge.Sequential(null, null, null), null));
        List<String> errors = new ArrayList<>(List.of("0", "1", "0", "0", "2", "0", "0", "0", "0", "1", "0", "0"));
        List<String> requests = new ArrayList<>(List.of("100", "99", "101", "100", "98", "100", "102", "100", "100",
                "97", "100", "100"));
        requests.set(3, null);
        errors.set(3, null);
        answers = q -> q.contains("http_errors_total") ? errors : requests;

        sender(Duration.ofMinutes(1)).started(start, false);
        drained();

        assertThat(received).hasSize(2).allSatisfy(r -> {
            assertThat(r.form().get("query")).contains("variant=\"stable\"").contains("workload=\"web\"")
                    .endsWith("[5s]))");
            assertThat(r.form().get("start")).as("the end of the first step")
                    .isEqualTo(String.valueOf(startAt.getEpochSecond() - 55));
            assertThat(r.form().get("end")).isEqualTo(String.valueOf(startAt.getEpochSecond()));
            assertThat(r.form().get("step")).isEqualTo("5");
        });
        assertThat(received.get(0).form().get("query")).isEqualTo(TEMPLATES.get("errors").render("shop", "web",
                "stable", Duration.ofSeconds(5), "rel-1"));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getKey()).isEqualTo(start.analysisId());
        MetricHistory history = (MetricHistory) published.get(0).getValue();
        assertThat(history.problem()).isNull();
        assertThat(history.releaseId()).isEqualTo("rel-1");
        assertThat(history.variant()).isEqualTo(Variant.STABLE);
        assertThat(history.start()).isEqualTo(startAt.minusSeconds(60));
        assertThat(history.step()).isEqualTo(Duration.ofSeconds(5));
        assertThat(history.series()).as("one series per metric, however many checks read it").containsExactly(
                new MetricHistory.Series("errors", Arrays.asList(0.0, 1.0, 0.0, null, 2.0, 0.0, 0.0, 0.0, 0.0, 1.0,
                        0.0, 0.0)),
                new MetricHistory.Series("requests", Arrays.asList(100.0, 99.0, 101.0, null, 98.0, 100.0, 102.0,
                        100.0, 100.0, 97.0, 100.0, 100.0)));
        assertThat(SamplePublisher.id("rel-1/step-1", history)).isEqualTo("rel-1/step-1/stable/history");
        assertThat(histories("sent")).isEqualTo(1);
    }

    @Test
    void aQueryThatFindsNothingSendsNoHistoryOfItsVariantAndTheOtherVariantsStillGetTheirs() throws Exception {
        AnalysisCommand.Start start = followed(Instant.now(), sequential(null), sequential(Variant.BASELINE));
        answers = q -> q.contains("http_errors_total") && q.contains("\"stable\"") ? null
                : List.of("1", "2", "3", "4");

        sender(Duration.ofSeconds(20)).started(start, false);
        drained();

        assertThat(received).as("both metrics of both variants queried").hasSize(4);
        assertThat(published).hasSize(1);
        MetricHistory history = (MetricHistory) published.get(0).getValue();
        assertThat(history.variant()).isEqualTo(Variant.BASELINE);
        assertThat(history.series()).extracting(MetricHistory.Series::values)
                .containsOnly(List.of(1.0, 2.0, 3.0, 4.0));
        assertThat(histories("failed")).isEqualTo(1);
        assertThat(histories("sent")).isEqualTo(1);
    }

    @Test
    void prometheusTooSlowCostsOneTimeoutPerAnalysisAndSendsNothing() throws Exception {
        AnalysisCommand.Start start = followed(Instant.now(), sequential(null), sequential(Variant.BASELINE));
        hang = true;
        long began = System.nanoTime();

        sender(Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(300)).started(start, false);
        drained();

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
        assertThat(received).as("no query after the first timed out").hasSize(1);
        assertThat(published).isEmpty();
        assertThat(histories("failed")).isEqualTo(2);
    }

    @Test
    void aReReadAnalysisGetsAHistoryOnlyIfItStartedWithinTheLastMinute() throws Exception {
        answers = q -> List.of("1", "1");
        HistorySender sender = sender(Duration.ofSeconds(10));

        sender.started(followed(Instant.now().minusSeconds(120), sequential(null)), true);
        drained();
        assertThat(received).as("recovered, started two minutes ago: sent by the previous owner or too late")
                .isEmpty();

        sender.started(followed(Instant.now().minusSeconds(30), sequential(Variant.BASELINE)), true);
        drained();
        assertThat(published).hasSize(1);

        sender.started(followed(Instant.now().minusSeconds(120), sequential(null)), false);
        drained();
        assertThat(published).as("a command written since the assignment is this instance's, however old its start")
                .hasSize(2);
    }

    @Test
    void noHistoryWhenItIsOffNoCheckLearnsFromOneOrTheAnalysisIsNoLongerFollowed() throws Exception {
        answers = q -> List.of("1", "1");
        AnalysisCommand.Start start = followed(Instant.now(), sequential(null));

        sender(Duration.ZERO).started(start, false);
        sender(Duration.ofSeconds(4)).started(start, false);
        sender(Duration.ofSeconds(10)).started(followed(Instant.now(), new MetricCheck("threshold", Variant.CANARY,
                RATIO, new Judge.Threshold(null, 0.1), null)), false);
        drained();
        assertThat(received).as("off, shorter than a step, and no sequential check").isEmpty();

        AnalysisCommand.Start replaced = followed(Instant.now(), sequential(null));
        followed(Instant.now(), sequential(null));
        sender(Duration.ofSeconds(10)).started(replaced, false);
        drained();
        assertThat(received).as("replaced by the release's next analysis before its history ran").isEmpty();

        AnalysisCommand.Start moved = followed(Instant.now(), sequential(null));
        schedule.drop(List.of(0));
        sender(Duration.ofSeconds(10)).started(moved, false);
        drained();
        assertThat(received).as("its partition moved away before its history ran").isEmpty();
    }

    @Test
    void aFutureStartIsQueriedOnceItsLastStepIsScraped() throws Exception {
        answers = q -> List.of("1", "1");
        Instant startAt = Instant.now().plusMillis(1_200);
        Duration delay = Duration.ofMillis(300);

        sender(Duration.ofSeconds(10), delay, Duration.ofSeconds(5)).started(followed(startAt, sequential(null)), false);

        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 1);
        assertThat(received.get(0).at()).isAfterOrEqualTo(startAt.plus(delay));
        assertThat(((MetricHistory) published.get(0).getValue()).start()).isEqualTo(
                startAt.truncatedTo(ChronoUnit.MILLIS).minusSeconds(10));
    }

    @Test
    void theHistorySettingIsClampedToWhatAMessageCarriesAndNeverNegative() {
        assertThat(settings(Duration.ofHours(7)).history()).isEqualTo(Duration.ofHours(6));
        assertThat(settings(Duration.ofHours(6)).history()).isEqualTo(Duration.ofHours(6));
        assertThat(settings(Duration.ZERO).history()).isZero();
        assertThatThrownBy(() -> settings(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serin.analyzer.prometheus.history");
        assertThat(sender(Duration.ofHours(1)).steps(Duration.ofHours(1))).isEqualTo(720);
        assertThat(sender(Duration.ofHours(1)).steps(Duration.ofSeconds(62))).as("whole steps").isEqualTo(12);
        assertThat(HistorySender.step(Duration.ofSeconds(30))).as("the rounds' interval").isEqualTo(
                Duration.ofSeconds(30));
        assertThat(HistorySender.step(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HistorySender.step(Duration.ofMinutes(5))).as("a history's longest step").isEqualTo(
                Duration.ofMinutes(1));
    }

    private static SourceSettings settings(Duration history) {
        return new SourceSettings(URI.create("http://prometheus:9090"), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(2), 8, Duration.ofHours(24), "g", URI.create("urn:test"),
                Duration.ofMillis(250), TEMPLATES, history);
    }
}
