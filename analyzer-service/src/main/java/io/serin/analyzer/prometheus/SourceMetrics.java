package io.serin.analyzer.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.serin.events.SourceProblem;

import java.util.Collection;
import java.util.Locale;

/**
 * {@code serin_analyzer_prometheus_queries_total{metric, outcome}} (outcome {@code sample} or a
 * problem reason in lower case), {@code serin_analyzer_prometheus_withheld_total{metric}},
 * {@code serin_analyzer_prometheus_histories_total{outcome}} (histories {@code sent}, or
 * {@code failed} and not sent) and {@code serin_analyzer_prometheus_publish_failures_total}. Registered up front for every
 * templated metric, so dashboards and alerts see zeros.
 */
final class SourceMetrics {

    static final String QUERIES = "serin.analyzer.prometheus.queries";
    static final String WITHHELD = "serin.analyzer.prometheus.withheld";
    static final String PUBLISH_FAILURES = "serin.analyzer.prometheus.publish.failures";
    static final String HISTORIES = "serin.analyzer.prometheus.histories";

    private final MeterRegistry registry;

    SourceMetrics(MeterRegistry registry, Collection<String> metrics) {
        this.registry = registry;
        for (String metric : metrics) {
            queries(metric, "sample");
            for (SourceProblem.Reason reason : SourceProblem.Reason.values()) {
                queries(metric, outcome(reason));
            }
            withheld(metric);
        }
        publishFailures();
        histories("sent");
        histories("failed");
    }

    /** A history of one analysis and variant sent, or given up. */
    void history(boolean sent) {
        histories(sent ? "sent" : "failed").increment();
    }

    private Counter histories(String outcome) {
        return Counter.builder(HISTORIES)
                .description("Histories of compared variants the source sent, or could not send, when analyses start")
                .tag("outcome", outcome).register(registry);
    }

    void query(String metric, QueryResult result) {
        queries(metric, result instanceof QueryResult.Failed f ? outcome(f.reason()) : "sample").increment();
    }

    void withheldSample(String metric) {
        withheld(metric).increment();
    }

    void publishFailed() {
        publishFailures().increment();
    }

    static String outcome(SourceProblem.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private Counter queries(String metric, String outcome) {
        return Counter.builder(QUERIES)
                .description("Prometheus queries of the analyzer's source, by metric and outcome")
                .tag("metric", metric).tag("outcome", outcome).register(registry);
    }

    private Counter withheld(String metric) {
        return Counter.builder(WITHHELD)
                .description("Samples not published because a query of a series checked with them failed")
                .tag("metric", metric).register(registry);
    }

    private Counter publishFailures() {
        return Counter.builder(PUBLISH_FAILURES).description("Samples and source problems Kafka did not accept")
                .register(registry);
    }
}
