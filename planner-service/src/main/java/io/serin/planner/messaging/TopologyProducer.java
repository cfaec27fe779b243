package io.serin.planner.messaging;

import io.serin.planner.config.PlannerConfig;
import io.serin.planner.config.PolicyConfig;
import io.serin.planner.plan.Admissions;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.RequestValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;

import java.net.URI;
import java.time.Clock;

/** Wires the plain planner into the topology and the REST API. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    RequestValidator validator(PolicyConfig policy) {
        return new RequestValidator(policy.namespacePolicy(), policy.imagePolicy());
    }

    @Produces
    @Singleton
    ReleasePlanner planner(RequestValidator validator) {
        return new ReleasePlanner(validator);
    }

    @Produces
    Topology topology(PlannerConfig config, ReleasePlanner planner) {
        return new PlannerTopology(planner, Clock.systemUTC(), URI.create(config.source()), config.timerTick(),
                new Admissions(config.admission().queueLimit()), config.retention()).build();
    }
}
