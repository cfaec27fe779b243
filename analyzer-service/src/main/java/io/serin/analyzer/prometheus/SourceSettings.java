package io.serin.analyzer.prometheus;

import io.serin.analyzer.config.AnalyzerConfig;
import io.serin.events.Limits;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Prometheus source's configuration, checked: templates parsed, durations positive. The source
 * runs only when a URL is configured; a bad setting fails start-up with the property named.
 *
 * @param tick    how often due rounds are looked for
 * @param history how far before an analysis' start the compared variant's history is queried
 *                ({@link HistorySender}); zero for none, at most {@link HistorySender#MAX_HISTORY} (larger
 *                values are clamped, with a log line)
 */
record SourceSettings(URI url, Duration interval, Duration delay, Duration timeout, Duration connectTimeout,
        int concurrency, Duration maxAnalysis, String groupId, URI source, Duration tick,
        Map<String, QueryTemplate> templates, Duration history) {

    private static final Logger LOG = Logger.getLogger(SourceSettings.class);
    private static final String PREFIX = "serin.analyzer.prometheus.";
    static final String HISTORY = PREFIX + "history";

    SourceSettings {
        if (history == null || history.isNegative()) {
            throw new IllegalArgumentException(HISTORY + " must not be negative, got " + history);
        }
        if (history.compareTo(HistorySender.MAX_HISTORY) > 0) {
            LOG.warnf("%s %s is longer than a metric history can be (%s values of %s): using %s", HISTORY, history,
                    Limits.MAX_HISTORY_VALUES, HistorySender.MIN_STEP, HistorySender.MAX_HISTORY);
            history = HistorySender.MAX_HISTORY;
        }
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
        return of(config, config.prometheus().history());
    }

    /** As {@link #of(AnalyzerConfig)}, with the compared variant's history queried {@code history} back. */
    static Optional<SourceSettings> of(AnalyzerConfig config, Duration history) {
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
                p.concurrency(), p.maxAnalysis(), p.groupId(), URI.create(p.source()), config.tick(), templates,
                history));
    }

    private static void positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, got " + value);
        }
    }
}
