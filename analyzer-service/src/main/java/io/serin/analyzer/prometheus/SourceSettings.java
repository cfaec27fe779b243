package io.serin.analyzer.prometheus;

import io.serin.analyzer.config.AnalyzerConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Prometheus source's configuration, checked: templates parsed, durations positive. The source
 * runs only when a URL is configured; a bad setting fails start-up with the property named.
 *
 * @param tick how often due rounds are looked for
 */
record SourceSettings(URI url, Duration interval, Duration delay, Duration timeout, Duration connectTimeout,
        int concurrency, Duration maxAnalysis, String groupId, URI source, Duration tick,
        Map<String, QueryTemplate> templates) {

    private static final String PREFIX = "serin.analyzer.prometheus.";

    SourceSettings {
        positive(PREFIX + "interval", interval);
        positive(PREFIX + "timeout", timeout);
        positive(PREFIX + "connect-timeout", connectTimeout);
        positive(PREFIX + "max-analysis", maxAnalysis);
        positive("serin.analyzer.tick", tick);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "delay must not be negative, got " + delay);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException(PREFIX + "concurrency must be at least 1, got " + concurrency);
        }
        templates = Map.copyOf(templates);
    }

    /** The settings of the source, or empty when no URL is configured (the source is off). */
    static Optional<SourceSettings> of(AnalyzerConfig config) {
        AnalyzerConfig.Prometheus p = config.prometheus();
        if (p.url().isEmpty() || p.url().get().isBlank()) {
            return Optional.empty();
        }
        Map<String, QueryTemplate> templates = new TreeMap<>();
        p.templates().forEach((metric, template) -> templates.put(metric, QueryTemplate.parse(metric,
                template.query())));
        URI url;
        try {
            url = URI.create(p.url().get().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "url is not a URL: " + p.url().get(), e);
        }
        return Optional.of(new SourceSettings(url, p.interval(), p.delay(), p.timeout(), p.connectTimeout(),
                p.concurrency(), p.maxAnalysis(), p.groupId(), URI.create(p.source()), config.tick(), templates));
    }

    private static void positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, got " + value);
        }
    }
}
