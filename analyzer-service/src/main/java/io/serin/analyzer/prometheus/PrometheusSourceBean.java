package io.serin.analyzer.prometheus;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serin.analyzer.config.AnalyzerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Starts the Prometheus source with the application when a URL is configured, and stops it with it. */
@ApplicationScoped
public class PrometheusSourceBean {

    private static final Logger LOG = Logger.getLogger(PrometheusSourceBean.class);

    private final Optional<SourceSettings> settings;
    private final Duration grace;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    private volatile PrometheusSource source;

    PrometheusSourceBean(AnalyzerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.settings = SourceSettings.of(config);
        this.grace = config.grace();
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.isEmpty()) {
            LOG.info("Prometheus source off: serin.analyzer.prometheus.url is not set");
            return;
        }
        if (settings.get().delay().compareTo(grace) >= 0) {
            LOG.warnf("serin.analyzer.prometheus.delay %s is not below serin.analyzer.grace %s: the last window of "
                    + "every analysis will arrive after its verdict", settings.get().delay(), grace);
        }
        source = new PrometheusSource(settings.get(), bootstrapServers, registry, Clock.systemUTC());
        source.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (source != null) {
            source.close();
            source = null;
        }
    }

    /** Whether the source is configured at all. */
    boolean enabled() {
        return settings.isPresent();
    }

    /** Whether the source has its partitions of the analysis commands and polls their analyses. */
    boolean ready() {
        PrometheusSource s = source;
        return s != null && s.ready();
    }
}
