package io.serin.analyzer.prometheus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the source has joined its consumer group and recovered the running analyses of its
 * partitions; always ready when the source is off. Prometheus being down does not make the
 * analyzer unready: that is reported per query, to the release.
 */
@Readiness
@ApplicationScoped
public class PrometheusSourceHealth implements HealthCheck {

    static final String NAME = "Prometheus source";

    private final PrometheusSourceBean source;

    PrometheusSourceHealth(PrometheusSourceBean source) {
        this.source = source;
    }

    @Override
    public HealthCheckResponse call() {
        if (!source.enabled()) {
            return HealthCheckResponse.named(NAME).up().withData("enabled", false).build();
        }
        return HealthCheckResponse.named(NAME).status(source.ready()).withData("enabled", true).build();
    }
}
