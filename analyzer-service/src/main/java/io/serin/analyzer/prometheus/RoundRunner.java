package io.serin.analyzer.prometheus;

import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs one round: renders and sends its queries on the query pool (never on a Kafka Streams or
 * consumer thread), then publishes what {@link RoundMessages} makes of the answers, counting and
 * logging every problem with its release, analysis, series and window.
 */
final class RoundRunner {

    private static final Logger LOG = Logger.getLogger(RoundRunner.class);

    private final Map<String, QueryTemplate> templates;
    private final PrometheusClient client;
    private final SamplePublisher publisher;
    private final SourceMetrics metrics;
    private final Executor pool;

    RoundRunner(Map<String, QueryTemplate> templates, PrometheusClient client, SamplePublisher publisher,
            SourceMetrics metrics, Executor pool) {
        this.templates = templates;
        this.client = client;
        this.publisher = publisher;
        this.metrics = metrics;
        this.pool = pool;
    }

    /** Starts the round's queries; returns when they are under way, completing the result once published. */
    CompletableFuture<Void> run(Round round) {
        Map<SeriesRef, String> queries = new LinkedHashMap<>();
        Map<SeriesRef, CompletableFuture<QueryResult>> calls = new LinkedHashMap<>();
        for (Set<SeriesRef> group : round.groups()) {
            for (SeriesRef s : group) {
                String query = templates.get(s.metric()).render(round.target().namespace(), round.target().name(),
                        s.variant().label(), round.window(), round.releaseId());
                queries.put(s, query);
                calls.put(s, CompletableFuture.supplyAsync(() -> client.query(query, round.time()), pool));
            }
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenRun(() -> {
            Map<SeriesRef, QueryResult> results = new LinkedHashMap<>();
            calls.forEach((s, call) -> results.put(s, call.join()));
            publish(round, queries, results);
        }).exceptionally(e -> {
            LOG.errorf(e, "[%s] analysis %s: round at %s failed", round.releaseId(), round.analysisId(), round.time());
            return null;
        });
    }

    private void publish(Round round, Map<SeriesRef, String> queries, Map<SeriesRef, QueryResult> results) {
        results.forEach((s, result) -> metrics.query(s.metric(), result));
        RoundMessages.Outcome outcome = RoundMessages.of(round, queries, results);
        for (SampleMessage message : outcome.messages()) {
            if (message instanceof SourceProblem p) {
                LOG.warnf("[%s] analysis %s: no sample of %s/%s for the %s window ending %s: %s: %s (query: %s)",
                        p.releaseId(), p.analysisId(), p.variant().label(), p.metric(), round.window(), p.time(),
                        p.reason(), p.detail(), p.query());
            }
            publisher.publish(round.analysisId(), message);
        }
        List<SeriesRef> withheld = outcome.withheld();
        if (!withheld.isEmpty()) {
            withheld.forEach(s -> metrics.withheldSample(s.metric()));
            LOG.warnf("[%s] analysis %s: withholding %s for the window ending %s: a series checked with them failed",
                    round.releaseId(), round.analysisId(), withheld, round.time());
        }
    }
}
