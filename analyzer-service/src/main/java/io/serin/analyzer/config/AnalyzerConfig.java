package io.serin.analyzer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Everything the analyzer can be told, under {@code serin.analyzer}. */
@ConfigMapping(prefix = "serin.analyzer")
public interface AnalyzerConfig {

    /** How long after a window ends late samples still count. */
    @WithDefault("2s")
    Duration grace();

    /** How often running analyses are checked for being due (wall clock). */
    @WithDefault("250ms")
    Duration tick();

    /** CloudEvents {@code source} of the verdicts. */
    @WithDefault("urn:serin:analyzer")
    String source();
}
