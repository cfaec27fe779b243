package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.WorkloadRef;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one command and reports what the cluster did. Never throws: every failure becomes a
 * {@link ExecutorResult.Failed} with its reason, so the planner always hears back.
 */
public final class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);

    private final Workloads workloads;
    private final Duration readyTimeout;
    private final Optional<Set<String>> allowedNamespaces;
    private final Clock clock;

    public CommandHandler(Workloads workloads, Duration readyTimeout, Optional<Set<String>> allowedNamespaces,
            Clock clock) {
        this.workloads = workloads;
        this.readyTimeout = readyTimeout;
        this.allowedNamespaces = allowedNamespaces;
        this.clock = clock;
    }

    public ExecutorResult handle(ExecutorCommand command) {
        String prefix = "[" + command.releaseId() + "] " + command.target() + ": ";
        try {
            checkNamespace(command.target());
            String summary;
            TrafficState traffic = null;
            if (command instanceof ExecutorCommand.SetCanaryWeight c) {
                traffic = router(c.routing()).setWeight(c.target(), c.releaseId(), c.to(), c.weight());
                summary = "canary at " + traffic.canaryWeight() + "% (" + traffic.canaryReadyReplicas() + " canary / "
                        + traffic.stableReadyReplicas() + " stable pods ready; asked for " + c.weight() + "%)";
            } else if (command instanceof ExecutorCommand.PromoteCanary c) {
                summary = promote(c);
            } else if (command instanceof ExecutorCommand.RollbackCanary c) {
                router(c.routing()).reset(c.target());
                Workloads.Replicas stable = workloads.replicas(c.target());
                traffic = new TrafficState(0, 0, stable.ready());
                summary = "all traffic on stable (" + stable.ready() + "/" + stable.desired() + " pods ready), canary "
                        + "removed";
            } else {
                throw new IllegalStateException("unhandled command " + command.getClass());
            }
            LOG.info(prefix + summary);
            return new ExecutorResult.Succeeded(command.commandId(), command.releaseId(), clock.instant(), summary,
                    traffic);
        } catch (ExecutionFailure e) {
            LOG.warn(prefix + e.getMessage());
            return new ExecutorResult.Failed(command.commandId(), command.releaseId(), clock.instant(), e.reason(),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error(prefix + "unexpected failure", e);
            return new ExecutorResult.Failed(command.commandId(), command.releaseId(), clock.instant(),
                    FailureReason.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Target first, canary last: the canary serves until every target pod runs the new version. */
    private String promote(ExecutorCommand.PromoteCanary c) {
        workloads.updateImage(c.target(), c.to());
        Workloads.Replicas rolled = workloads.awaitRolledOut(c.target().namespace(), c.target().name(), readyTimeout);
        router(c.routing()).reset(c.target());
        return c.target() + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready), canary removed";
    }

    private TrafficRouter router(TrafficRouting routing) {
        if (routing == null || routing instanceof TrafficRouting.ReplicaRatio) {
            return new ReplicaRatioRouter(workloads, readyTimeout);
        }
        throw new IllegalStateException("unhandled routing " + routing.getClass());
    }

    private void checkNamespace(WorkloadRef target) {
        if (target == null || target.namespace() == null || target.name() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "command has no complete target");
        }
        if (allowedNamespaces.isPresent() && !allowedNamespaces.get().contains(target.namespace())) {
            throw new ExecutionFailure(FailureReason.FORBIDDEN, "namespace '" + target.namespace()
                    + "' is not in the executor's allowed namespaces " + allowedNamespaces.get());
        }
    }
}
