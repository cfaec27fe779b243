package io.serin.analyzer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.config.AnalyzerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

import java.net.URI;
import java.time.Clock;

@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(AnalyzerConfig config, MeterRegistry registry) {
        return new AnalyzerTopology(new Analyses(config.grace(), config.bucket()), Clock.systemUTC(), config.tick(),
                URI.create(config.source()), registry, config.cachedAnalyses()).build();
    }
}
