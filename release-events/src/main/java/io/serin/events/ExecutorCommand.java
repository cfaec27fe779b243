package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/**
 * Commands on {@value Topics#EXECUTOR_COMMANDS}. Every command carries an id; applying it twice
 * gives the same cluster state and the same result.
 */
@JsonSubTypes({
        @JsonSubTypes.Type(value = ExecutorCommand.SetCanaryWeight.class,
                name = "io.serin.executor.command.set-canary-weight.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.PromoteCanary.class,
                name = "io.serin.executor.command.promote-canary.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.RollbackCanary.class,
                name = "io.serin.executor.command.rollback-canary.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.SetHeaderRoute.class,
                name = "io.serin.executor.command.set-header-route.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.SetMirrorRoute.class,
                name = "io.serin.executor.command.set-mirror-route.v1"),
})
public sealed interface ExecutorCommand
        permits ExecutorCommand.SetCanaryWeight, ExecutorCommand.PromoteCanary, ExecutorCommand.RollbackCanary,
        ExecutorCommand.SetHeaderRoute, ExecutorCommand.SetMirrorRoute {

    String commandId();

    String releaseId();

    WorkloadRef target();

    /**
     * Ensure a canary of {@code target} running {@code to} exists and receives {@code weight}
     * percent of traffic through {@code routing}; done when the canary is ready.
     */
    record SetCanaryWeight(String commandId, String releaseId, WorkloadRef target, VersionSpec to, int weight,
            TrafficRouting routing) implements ExecutorCommand {
    }

    /**
     * Move the target itself to {@code to}, wait until all its replicas are ready, then remove the
     * canary; no capacity is lost on the way.
     */
    record PromoteCanary(String commandId, String releaseId, WorkloadRef target, VersionSpec to,
            TrafficRouting routing) implements ExecutorCommand {
    }

    /** Send all traffic back to the untouched target and remove the canary. */
    record RollbackCanary(String commandId, String releaseId, WorkloadRef target, TrafficRouting routing,
            String reason) implements ExecutorCommand {
    }

    /**
     * Ensure a canary of {@code target} running {@code to} exists and receives every request that
     * {@code match} selects (A/B testing), on top of any weighted split; done when the canary is
     * ready and the route is applied. Removed by promotion and rollback.
     */
    record SetHeaderRoute(String commandId, String releaseId, WorkloadRef target, VersionSpec to, RouteMatch match,
            TrafficRouting routing) implements ExecutorCommand {
    }

    /**
     * Ensure a canary of {@code target} running {@code to} exists and receives a copy of
     * {@code percent} percent of the stable traffic (shadowing; its responses are discarded).
     * Removed by promotion and rollback.
     */
    record SetMirrorRoute(String commandId, String releaseId, WorkloadRef target, VersionSpec to, int percent,
            TrafficRouting routing) implements ExecutorCommand {
    }
}
