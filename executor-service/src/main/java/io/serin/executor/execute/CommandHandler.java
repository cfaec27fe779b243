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
 * {@link ExecutorResult.Failed} with its reason, so the planner always hears back. Commands and
 * routings are dispatched here and nowhere else.
 */
public final class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);

    private final Workloads workloads;
    private final Services services;
    private final RouteReconcilers reconcilers;
    private final Duration readyTimeout;
    private final Optional<Set<String>> allowedNamespaces;
    private final Clock clock;

    public CommandHandler(Workloads workloads, Services services, RouteReconcilers reconcilers, Duration readyTimeout,
            Optional<Set<String>> allowedNamespaces, Clock clock) {
        this.workloads = workloads;
        this.services = services;
        this.reconcilers = reconcilers;
        this.readyTimeout = readyTimeout;
        this.allowedNamespaces = allowedNamespaces;
        this.clock = clock;
    }

    /** A handler that knows only replica-ratio routing; routed commands fail as INVALID. */
    public CommandHandler(Workloads workloads, Duration readyTimeout, Optional<Set<String>> allowedNamespaces,
            Clock clock) {
        this(workloads, null, null, readyTimeout, allowedNamespaces, clock);
    }

    public ExecutorResult handle(ExecutorCommand command) {
        String prefix = "[" + command.releaseId() + "] " + command.target() + ": ";
        try {
            checkNamespace(command.target());
            Outcome outcome = apply(command);
            LOG.info(prefix + outcome.summary());
            return new ExecutorResult.Succeeded(command.commandId(), command.releaseId(), clock.instant(),
                    outcome.summary(), outcome.traffic());
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

    private record Outcome(String summary, TrafficState traffic) {
    }

    private Outcome apply(ExecutorCommand command) {
        if (command instanceof ExecutorCommand.SetCanaryWeight c) {
            TrafficState t = router(c.routing()).setWeight(c.target(), c.releaseId(), c.to(), c.weight());
            return new Outcome("canary at " + t.canaryWeight() + "% (" + pods(t) + "; asked for " + c.weight() + "%)",
                    t);
        } else if (command instanceof ExecutorCommand.SetHeaderRoute c) {
            TrafficState t = router(c.routing()).setHeaderRoute(c.target(), c.releaseId(), c.to(), c.match());
            return new Outcome("requests matching " + describe(c.match()) + " go to the canary, which also has "
                    + t.canaryWeight() + "% of the rest (" + pods(t) + ")", t);
        } else if (command instanceof ExecutorCommand.SetMirrorRoute c) {
            TrafficState t = router(c.routing()).setMirrorRoute(c.target(), c.releaseId(), c.to(), c.percent());
            return new Outcome(c.percent() + "% of requests mirrored to the canary, which serves " + t.canaryWeight()
                    + "% (" + pods(t) + ")", t);
        } else if (command instanceof ExecutorCommand.PromoteCanary c) {
            java.util.Optional<String> other = otherRelease(c);
            if (other.isPresent()) {
                throw new ExecutionFailure(FailureReason.INVALID, "release '" + other.get() + "' has a canary on "
                        + c.target() + "; promoting " + c.releaseId() + " would change the target under it");
            }
            return new Outcome(promote(c), null);
        } else if (command instanceof ExecutorCommand.RollbackCanary c) {
            java.util.Optional<String> other = otherRelease(c);
            if (other.isPresent()) {
                // nothing of this release is on the target: its canary and routes belong to the other one
                Workloads.Replicas stable = workloads.replicas(c.target());
                return new Outcome("nothing to roll back: the canary on " + c.target() + " belongs to release '"
                        + other.get() + "' and was left untouched", new TrafficState(0, 0, stable.ready()));
            }
            router(c.routing()).reset(c.target());
            Workloads.Replicas stable = workloads.replicas(c.target());
            return new Outcome("all traffic on stable (" + stable.ready() + "/" + stable.desired() + " pods ready), "
                    + "canary removed", new TrafficState(0, 0, stable.ready()));
        }
        throw new IllegalStateException("unhandled command " + command.getClass());
    }

    /**
     * The release owning the target's canary, if it is not this command's: a promotion or rollback
     * must never act on another release's objects.
     */
    private java.util.Optional<String> otherRelease(ExecutorCommand c) {
        return workloads.canaryRelease(c.target()).filter(owner -> !owner.equals(c.releaseId()));
    }

    /** Target first, canary last: the canary serves until every target pod runs the new version. */
    private String promote(ExecutorCommand.PromoteCanary c) {
        workloads.updateImage(c.target(), c.to());
        Workloads.Replicas rolled = workloads.awaitRolledOut(c.target().namespace(), c.target().name(), readyTimeout);
        router(c.routing()).reset(c.target());
        return c.target() + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready), canary removed";
    }

    /** The router for a routing; package-private so a test can prove every routing type is handled. */
    TrafficRouter router(TrafficRouting routing) {
        if (routing == null || routing instanceof TrafficRouting.ReplicaRatio) {
            return new ReplicaRatioRouter(workloads, readyTimeout);
        }
        if (routing instanceof TrafficRouting.Istio || routing instanceof TrafficRouting.GatewayApi
                || routing instanceof TrafficRouting.Nginx) {
            if (reconcilers == null || services == null) {
                throw new ExecutionFailure(FailureReason.INVALID, "this executor has no adapter for "
                        + routing.getClass().getSimpleName() + " routing");
            }
            return new RoutedRouter(workloads, services, reconcilers, routing, readyTimeout);
        }
        throw new IllegalStateException("unhandled routing " + routing.getClass());
    }

    private static String pods(TrafficState t) {
        return t.canaryReadyReplicas() + " canary / " + t.stableReadyReplicas() + " stable pods ready";
    }

    private static String describe(io.serin.events.RouteMatch m) {
        if (m.cookie() != null) {
            return "cookie " + m.cookie() + "=always";
        }
        return "header " + m.header() + (Boolean.TRUE.equals(m.regex()) ? " ~ " : " = ") + m.value();
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
