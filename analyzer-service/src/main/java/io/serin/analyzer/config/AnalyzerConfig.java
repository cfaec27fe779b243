package io.serin.analyzer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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

    /** CloudEvents {@code source} of the verdicts. */
    @WithDefault("urn:serin:analyzer")
    String source();
}
