package io.serin.analyzer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the analyzer can be told, under {@code serin.analyzer}. */
@ConfigMapping(prefix = "serin.analyzer")
public interface AnalyzerConfig {

    /** How long late samples still count: after a bucket for comparing judges, after the window for all. */
    @WithDefault("2s")
    Duration grace();

    /**
     * Width of the event-time buckets in which comparing judges see the variants side by side; about
     * the interval at which samples are published.
     */
    @WithDefault("1s")
    Duration bucket();

    /** How often running analyses are checked for being due (wall clock). */
    @WithDefault("250ms")
    Duration tick();

    /**
     * Running analyses each stream task keeps decoded in memory, beside its stores; beyond that the
     * least recently sampled are read back from the stores when their next sample comes.
     */
    @WithDefault("20000")
    int cachedAnalyses();

    /** CloudEvents {@code source} of the verdicts. */
    @WithDefault("urn:serin:analyzer")
    String source();

    /** The Prometheus source (docs/prometheus.md); off unless {@code url} is set. */
    Prometheus prometheus();

    /**
     * PromQL templates run at every {@code interval} for each release under analysis, under
     * {@code serin.analyzer.prometheus}.
     */
    interface Prometheus {

        /** Base URL of the Prometheus HTTP API, e.g. {@code http://prometheus.monitoring:9090}. */
        Optional<String> url();

        /**
         * Each query's window and the step between queries: the published samples are deltas over
         * consecutive windows. {@code increase()} needs two scrapes inside a window, so keep this at
         * least twice the scrape interval (30s suits the common 15s scrape).
         */
        @WithDefault("30s")
        Duration interval();

        /**
         * How long after a window's end it is queried, so that scrapes which started before the end
         * have been ingested. Keep {@code delay} plus query time below {@code serin.analyzer.grace}, or
         * the last window of an analysis arrives too late to count.
         */
        @WithDefault("1s")
        Duration delay();

        /** Timeout of one query: the HTTP request, and Prometheus' own evaluation timeout. */
        @WithDefault("5s")
        Duration timeout();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Queries in flight at once, across all analyses. */
        @WithDefault("8")
        int concurrency();

        /**
         * How far back the source re-reads analysis commands when it (re)gains a partition, to recover
         * analyses still running: the longest analysis the planner accepts, its {@code initialDelay}
         * (at most 24h, the start command is written that long before its window) plus its
         * {@code duration} (at most 24h).
         */
        @WithDefault("48h")
        Duration maxAnalysis();

        /**
         * How far before an analysis' start the compared variant's history is queried and sent to the
         * sequential judge (docs/prometheus.md); {@code 0s} turns it off, at most 6h.
         */
        @WithDefault("1h")
        Duration history();

        /** Consumer group of the source's reader of analysis commands. */
        @WithDefault("serin-analyzer-prometheus")
        String groupId();

        /** CloudEvents {@code source} of the samples and source problems it publishes. */
        @WithDefault("urn:serin:analyzer:prometheus")
        String source();

        /**
         * One PromQL template per metric name, e.g. {@code templates."errors".query}, with the
         * variables {@code {{namespace}} {{workload}} {{variant}} {{window}} {{release}}}.
         */
        Map<String, Template> templates();

        interface Template {

            String query();
        }
    }
}
