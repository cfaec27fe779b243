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
        @JsonSubTypes.Type(value = ExecutorCommand.SetCanaryScale.class,
                name = "io.serin.executor.command.set-canary-scale.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.DeployPreview.class,
                name = "io.serin.executor.command.deploy-preview.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.SwitchActive.class,
                name = "io.serin.executor.command.switch-active.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.PromoteBlueGreen.class,
                name = "io.serin.executor.command.promote-blue-green.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.RollbackBlueGreen.class,
                name = "io.serin.executor.command.rollback-blue-green.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.RollingUpdate.class,
                name = "io.serin.executor.command.rolling-update.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.RecreateUpdate.class,
                name = "io.serin.executor.command.recreate.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.UndoUpdate.class,
                name = "io.serin.executor.command.undo-update.v1"),
        @JsonSubTypes.Type(value = ExecutorCommand.CheckGate.class,
                name = "io.serin.executor.command.check-gate.v1"),
})
public sealed interface ExecutorCommand
        permits ExecutorCommand.SetCanaryWeight, ExecutorCommand.PromoteCanary, ExecutorCommand.RollbackCanary,
        ExecutorCommand.SetHeaderRoute, ExecutorCommand.SetMirrorRoute, ExecutorCommand.SetCanaryScale,
        ExecutorCommand.DeployPreview, ExecutorCommand.SwitchActive, ExecutorCommand.PromoteBlueGreen,
        ExecutorCommand.RollbackBlueGreen, ExecutorCommand.RollingUpdate, ExecutorCommand.RecreateUpdate,
        ExecutorCommand.UndoUpdate, ExecutorCommand.CheckGate {

    String commandId();

    String releaseId();

    WorkloadRef target();

    /**
     * Ensure a canary of {@code target} running {@code to} exists and receives {@code weight}
     * percent of traffic through {@code routing}; done when the canary is ready. With
     * {@code baseline}, a Deployment {@code <target>-baseline} running the target's current template
     * gets the canary's size and weight too (labelled {@code serin.io/variant=baseline}), taken from
     * stable's share. Promotion and rollback remove it.
     */
    record SetCanaryWeight(String commandId, String releaseId, WorkloadRef target, VersionSpec to, int weight,
            TrafficRouting routing, Boolean baseline) implements ExecutorCommand {

        public SetCanaryWeight(String commandId, String releaseId, WorkloadRef target, VersionSpec to, int weight,
                TrafficRouting routing) {
            this(commandId, releaseId, target, to, weight, routing, null);
        }
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

    /**
     * Size the canary independently of its weight: {@code replicas} pods (at least 1), or
     * {@code percent} (1–100) of the target's replicas (rounded up); both null returns to sizing by
     * weight. Done when the canary
     * is ready; traffic is unchanged.
     */
    record SetCanaryScale(String commandId, String releaseId, WorkloadRef target, VersionSpec to, Integer replicas,
            Integer percent, TrafficRouting routing) implements ExecutorCommand {
    }

    /**
     * Blue-green: ensure a full-size copy of the target running {@code to} ({@code <target>-canary},
     * labelled {@code serin.io/variant=canary}) and the Service {@code previewService} selecting only
     * its pods; done when every replica is ready. Green is a copy of the target's pod template, so an
     * active Service whose selector does not tell the variants apart would select green too: its
     * selector is first narrowed to the blue pods ({@code serin.io/variant=stable}, the original kept
     * in an annotation), so clients never reach green before the switch.
     */
    record DeployPreview(String commandId, String releaseId, WorkloadRef target, VersionSpec to,
            String activeService, String previewService) implements ExecutorCommand {
    }

    /**
     * Blue-green: switch the selector of {@code activeService} to the green pods only; the blue pods
     * keep running so that switching back is instant. The original selector is kept in an annotation.
     */
    record SwitchActive(String commandId, String releaseId, WorkloadRef target, String activeService)
            implements ExecutorCommand {
    }

    /**
     * Blue-green: move the target itself to {@code to} and wait until all its replicas are ready
     * (clients are still on green), restore the active Service's original selector, point or remove
     * the preview Service, then remove green.
     */
    record PromoteBlueGreen(String commandId, String releaseId, WorkloadRef target, VersionSpec to,
            String activeService, String previewService) implements ExecutorCommand {
    }

    /**
     * Blue-green: restore the active Service's original selector (clients back on blue, which never
     * stopped), then remove green and the preview Service Serin created.
     */
    record RollbackBlueGreen(String commandId, String releaseId, WorkloadRef target, String activeService,
            String previewService, String reason) implements ExecutorCommand {
    }

    /**
     * Rolling: record the target's current pod template for an undo, then update it to {@code to}
     * with the Deployment's own rolling update ({@code maxSurge}/{@code maxUnavailable} when given);
     * done when the rollout is complete.
     */
    record RollingUpdate(String commandId, String releaseId, WorkloadRef target, VersionSpec to, String maxSurge,
            String maxUnavailable) implements ExecutorCommand {
    }

    /**
     * Recreate: record the target's current pod template for an undo, scale it to zero and wait
     * until no pod of it is left, then start the pods of {@code to} at the original replica count;
     * done when all are ready.
     */
    record RecreateUpdate(String commandId, String releaseId, WorkloadRef target, VersionSpec to)
            implements ExecutorCommand {
    }

    /**
     * Undo a rolling or recreate update of this release: restore the pod template recorded before it
     * ({@code kubectl rollout undo} semantics), the same way it was changed ({@code recreate}: old
     * pods first down); done when the restored template is fully rolled out. A target that was
     * never changed by this release is left as it is.
     */
    record UndoUpdate(String commandId, String releaseId, WorkloadRef target, Boolean recreate, String reason)
            implements ExecutorCommand {
    }

    /**
     * Ask webhook gate {@code gate} (a {@link Gates} name) whether the release may go on; succeeds on
     * a 2xx answer, fails with GATE_CLOSED otherwise. Touches no cluster object.
     */
    record CheckGate(String commandId, String releaseId, WorkloadRef target, VersionSpec to, String gate,
            Webhook webhook) implements ExecutorCommand {
    }
}
