package io.serin.planner.messaging;

import io.serin.planner.config.PlannerConfig;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.RequestValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

import java.net.URI;
import java.time.Clock;

@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(PlannerConfig config) {
        ReleasePlanner planner = new ReleasePlanner(new RequestValidator(config.allowedNamespaces()));
        return new PlannerTopology(planner, Clock.systemUTC(), URI.create(config.source())).build();
    }
}
