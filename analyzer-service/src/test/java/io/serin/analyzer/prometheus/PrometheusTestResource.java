package io.serin.analyzer.prometheus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * A {@link CounterExporter} and a real {@link PrometheusServer} scraping it, with the analyzer's
 * Prometheus source pointed at it: a 3 s interval and templates for requests and errors, plus a
 * template that does not parse ({@code broken}) and one whose series does not exist ({@code absent}),
 * and a {@value #HISTORY} history, short enough to have been scraped by the time a test starts.
 */
public class PrometheusTestResource implements QuarkusTestResourceLifecycleManager {

    static final String INTERVAL_SECONDS = "3";
    static final String HISTORY = "PT30S";
    static final List<String> WORKLOADS = List.of("web", "flaky");
    private static final String SELECTOR = "{namespace=\"{{namespace}}\",workload=\"{{workload}}\","
            + "variant=\"{{variant}}\"}[{{window}}]";
    private static final String TEMPLATES = "serin.analyzer.prometheus.templates.";

    private CounterExporter exporter;
    private PrometheusServer prometheus;

    @Override
    public Map<String, String> start() {
        exporter = new CounterExporter(WORKLOADS);
        try {
            prometheus = PrometheusServer.start(exporter.target());
        } catch (RuntimeException e) {
            exporter.close();
            throw e;
        }
        return Map.of(
                "serin.analyzer.prometheus.url", prometheus.url().toString(),
                "serin.analyzer.prometheus.interval", INTERVAL_SECONDS + "s",
                "serin.analyzer.prometheus.delay", "500ms",
                "serin.analyzer.prometheus.history", HISTORY,
                TEMPLATES + "\"requests\".query", "sum(increase(http_requests_total" + SELECTOR + "))",
                TEMPLATES + "\"errors\".query", "sum(increase(http_errors_total" + SELECTOR + "))",
                TEMPLATES + "\"broken\".query", "sum(increase(http_errors_total" + SELECTOR + ")",
                TEMPLATES + "\"absent\".query", "sum(increase(no_such_metric_total" + SELECTOR + "))");
    }

    @Override
    public void stop() {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (exporter != null) {
                exporter.close();
            }
        }
    }
}
