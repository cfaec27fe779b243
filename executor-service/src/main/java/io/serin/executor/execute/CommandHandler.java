package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import io.serin.events.WorkloadRef;
import io.serin.events.policy.Redaction;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies one command and reports what the cluster did. Never throws: every failure becomes a
 * {@link ExecutorResult.Failed} with its reason, so the planner always hears back. A command the
 * policy refuses ({@link CommandPolicy}) or that comes too late ({@link CommandOrder}) has no effect.
 * Commands and routings are dispatched here and nowhere else. Every message and log line shows URLs
 * only through {@link Redaction}: a gate's URL may carry a token.
 */
public final class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);
    /** For handlers that take every command as fresh by age (the order of commands still counts). */
    private static final Duration NO_MAX_AGE = Duration.ofSeconds(Long.MAX_VALUE);

    private final Workloads workloads;
    private final Services services;
    private final RouteReconcilers reconcilers;
    private final WebhookGates gates;
    private final Duration readyTimeout;
    private final CommandPolicy policy;
    private final Clock clock;
    private final Updates updates;
    private final AbortedCanaries aborted;
    private final CommandOrder order;
    /**
     * Held while a command that touches the cluster runs, so that a delayed canary removal never
     * interleaves with one. A gate touches nothing and does not take it: a slow gate holds up no other command.
     */
    private final Object lock = new Object();

    /**
     * @param abortDelay    how long a rolled-back routed canary keeps its pods without traffic
     * @param commandMaxAge how old a command that moves a release forward may be when it arrives
     */
    public CommandHandler(Workloads workloads, Services services, RouteReconcilers reconcilers, WebhookGates gates,
            Duration readyTimeout, Duration abortDelay, Duration commandMaxAge, CommandPolicy policy, Clock clock) {
        this.workloads = workloads;
        this.services = services;
        this.reconcilers = reconcilers;
        this.gates = gates;
        this.readyTimeout = readyTimeout;
        this.policy = policy;
        this.clock = clock;
        this.updates = new Updates(workloads, readyTimeout);
        this.aborted = new AbortedCanaries(workloads, services, abortDelay, clock, lock);
        this.order = new CommandOrder(workloads, commandMaxAge, clock);
    }

    /** A handler without webhook gates (CheckGate fails as INVALID) that removes rolled-back canaries at once. */
    public CommandHandler(Workloads workloads, Services services, RouteReconcilers reconcilers, Duration readyTimeout,
            CommandPolicy policy, Clock clock) {
        this(workloads, services, reconcilers, null, readyTimeout, Duration.ZERO, NO_MAX_AGE, policy, clock);
    }

    /** A handler that knows only replica-ratio routing and rolling or recreate updates; the rest fails as INVALID. */
    public CommandHandler(Workloads workloads, Duration readyTimeout, CommandPolicy policy, Clock clock) {
        this(workloads, null, null, null, readyTimeout, Duration.ZERO, NO_MAX_AGE, policy, clock);
    }

    /** Applies a command issued now: one that cannot be late, though a newer one may have acted already. */
    public ExecutorResult handle(ExecutorCommand command) {
        return handle(command, clock.instant());
    }

    /**
     * Applies a command that its planner issued at {@code issuedAt}, unless it comes too late
     * ({@link CommandOrder}); a stale command has no effect and fails with a message starting
     * {@link StaleCommand#PREFIX}.
     */
    public ExecutorResult handle(ExecutorCommand command, Instant issuedAt) {
        if (command instanceof ExecutorCommand.CheckGate) {
            return handleAlone(command, issuedAt);
        }
        synchronized (lock) {
            return handleAlone(command, issuedAt);
        }
    }

    private ExecutorResult handleAlone(ExecutorCommand command, Instant issuedAt) {
        String prefix = "[" + command.releaseId() + "] " + command.target() + ": ";
        try {
            checkIds(command);
            checkTarget(command.target());
            CommandChecks.check(command);
            policy.check(command);
            order.checkAge(command, issuedAt, rollback(command));
            if (!(command instanceof ExecutorCommand.CheckGate)) { // it touches no cluster object
                order.admit(command, issuedAt);
                aborted.sweep(command.target());
            }
            Outcome outcome = apply(command);
            String summary = Redaction.text(outcome.summary());
            LOG.info(prefix + summary);
            return new ExecutorResult.Succeeded(command.commandId(), command.releaseId(), clock.instant(), summary,
                    outcome.traffic());
        } catch (ExecutionFailure e) {
            String message = Redaction.text(e.getMessage());
            LOG.warn(prefix + message);
            return new ExecutorResult.Failed(command.commandId(), command.releaseId(), clock.instant(), e.reason(),
                    message);
        } catch (RuntimeException e) {
            LOG.error(prefix + "unexpected failure", Redacted.copy(e));
            return new ExecutorResult.Failed(command.commandId(), command.releaseId(), clock.instant(),
                    FailureReason.INTERNAL, Redacted.describe(e));
        }
    }

    private Outcome apply(ExecutorCommand command) {
        if (command instanceof ExecutorCommand.SetCanaryWeight c) {
            boolean baseline = Boolean.TRUE.equals(c.baseline());
            TrafficState t = router(c.routing()).setWeight(c.target(), c.releaseId(), c.to(), c.weight(), baseline);
            return new Outcome("canary at " + t.canaryWeight() + "%" + (baseline ? " and baseline as much" : "")
                    + " (" + pods(t) + "; asked for " + c.weight() + "%)", t);
        } else if (command instanceof ExecutorCommand.SetCanaryScale c) {
            Optional<CanaryScale> scale = CanaryScale.of(c.replicas(), c.percent());
            TrafficState t = router(c.routing()).setScale(c.target(), c.releaseId(), c.to(), scale);
            return new Outcome("canary sized " + scale.map(CanaryScale::toString).orElse("by its weight again")
                    + ", " + t.canaryReadyReplicas() + " pods ready; traffic unchanged at " + t.canaryWeight() + "%", t);
        } else if (command instanceof ExecutorCommand.SetHeaderRoute c) {
            TrafficState t = router(c.routing()).setHeaderRoute(c.target(), c.releaseId(), c.to(), c.match());
            return new Outcome("requests matching " + describe(c.match()) + " go to the canary, which also has "
                    + t.canaryWeight() + "% of the rest (" + pods(t) + ")", t);
        } else if (command instanceof ExecutorCommand.SetMirrorRoute c) {
            TrafficState t = router(c.routing()).setMirrorRoute(c.target(), c.releaseId(), c.to(), c.percent());
            return new Outcome(c.percent() + "% of requests mirrored to the canary, which serves " + t.canaryWeight()
                    + "% (" + pods(t) + ")", t);
        } else if (command instanceof ExecutorCommand.PromoteCanary c) {
            refuseOverOtherRelease(c, "promoting");
            return new Outcome(promote(c), null);
        } else if (command instanceof ExecutorCommand.RollbackCanary c) {
            return leftToOtherRelease(c).orElseGet(() -> rollback(c));
        } else if (command instanceof ExecutorCommand.DeployPreview c) {
            refuseOverOtherRelease(c, "deploying green");
            return blueGreen().deployPreview(c);
        } else if (command instanceof ExecutorCommand.SwitchActive c) {
            refuseOverOtherRelease(c, "switching to green");
            return blueGreen().switchActive(c);
        } else if (command instanceof ExecutorCommand.PromoteBlueGreen c) {
            refuseOverOtherRelease(c, "promoting");
            return blueGreen().promote(c);
        } else if (command instanceof ExecutorCommand.RollbackBlueGreen c) {
            return leftToOtherRelease(c).orElseGet(() -> blueGreen().rollback(c));
        } else if (command instanceof ExecutorCommand.RollingUpdate c) {
            refuseOverOtherRelease(c, "a rolling update");
            return updates.rolling(c);
        } else if (command instanceof ExecutorCommand.RecreateUpdate c) {
            refuseOverOtherRelease(c, "recreating");
            return updates.recreate(c);
        } else if (command instanceof ExecutorCommand.UndoUpdate c) {
            return updates.undo(c);
        } else if (command instanceof ExecutorCommand.CheckGate c) {
            return checkGate(c);
        }
        throw new IllegalStateException("unhandled command " + command.getClass());
    }

    /**
     * The release owning the target's canary, if it is not this command's: a promotion, update or
     * rollback must never act on another release's objects.
     */
    private Optional<String> otherRelease(ExecutorCommand c) {
        return workloads.canaryRelease(c.target()).filter(owner -> !owner.equals(c.releaseId()));
    }

    private void refuseOverOtherRelease(ExecutorCommand c, String doing) {
        Optional<String> other = otherRelease(c);
        if (other.isPresent()) {
            throw new ExecutionFailure(FailureReason.INVALID, "release '" + other.get() + "' has a canary on "
                    + c.target() + "; " + doing + " for release '" + c.releaseId()
                    + "' would change the target under it");
        }
    }

    /** A rollback finds nothing of its release where another release's canary or green stands. */
    private Optional<Outcome> leftToOtherRelease(ExecutorCommand c) {
        return otherRelease(c).map(other -> new Outcome("nothing to roll back: the canary on " + c.target()
                + " belongs to release '" + other + "' and was left untouched",
                new TrafficState(0, 0, workloads.replicas(c.target()).ready())));
    }

    /** Traffic back first; the canary's pods go at once or, with an abort delay, later. */
    private Outcome rollback(ExecutorCommand.RollbackCanary c) {
        TrafficRouter router = router(c.routing());
        String removed = "canary removed";
        if (aborted.delays(c.routing()) && workloads.canaryRelease(c.target()).isPresent()) {
            router.routeAllToStable(c.target());
            removed = "canary pods kept without traffic until " + aborted.deferRemoval(c.target());
        } else {
            router.reset(c.target());
        }
        Workloads.Replicas stable = workloads.replicas(c.target());
        return new Outcome("all traffic on stable (" + stable.ready() + "/" + stable.desired() + " pods ready), "
                + removed, new TrafficState(0, 0, stable.ready()));
    }

    /** Target first, canary last: the canary serves until every target pod runs the new version. */
    private String promote(ExecutorCommand.PromoteCanary c) {
        workloads.updateImage(c.target(), c.to());
        Workloads.Replicas rolled = workloads.awaitRolledOut(c.target().namespace(), c.target().name(), readyTimeout);
        router(c.routing()).reset(c.target());
        return c.target() + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready), canary removed";
    }

    private Outcome checkGate(ExecutorCommand.CheckGate c) {
        if (gates == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "this executor has no adapter for webhook gates");
        }
        WebhookGates.Answer answer = gates.ask(c);
        if (!answer.go()) {
            throw new ExecutionFailure(FailureReason.GATE_CLOSED, "gate " + c.gate() + " says not yet: "
                    + answer.detail());
        }
        return new Outcome("gate " + c.gate() + " says go (" + answer.detail() + ")", null);
    }

    private BlueGreen blueGreen() {
        if (services == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "this executor has no adapter for Services, which "
                    + "blue-green switches");
        }
        return new BlueGreen(workloads, services, readyTimeout);
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

    private static String describe(RouteMatch m) {
        if (m.pathPrefix() != null) {
            return "path prefix " + m.pathPrefix();
        }
        if (m.cookie() != null) {
            return "cookie " + m.cookie() + "=always";
        }
        return "header " + m.header() + (Boolean.TRUE.equals(m.regex()) ? " ~ " : " = ") + m.value();
    }

    /** A rollback only puts back what stood before its release: late, it still does good ({@link CommandOrder#checkAge}). */
    /** A command that puts back what stood before its release. */
    public static boolean isRollback(ExecutorCommand c) {
        return rollback(c);
    }

    private static boolean rollback(ExecutorCommand c) {
        return c instanceof ExecutorCommand.RollbackCanary || c instanceof ExecutorCommand.RollbackBlueGreen
                || c instanceof ExecutorCommand.UndoUpdate;
    }

    /** Without its ids a command could neither be ordered against others nor answered. */
    private static void checkIds(ExecutorCommand c) {
        if (c.commandId() == null || c.commandId().isBlank() || c.releaseId() == null || c.releaseId().isBlank()) {
            throw new ExecutionFailure(FailureReason.INVALID, "command has no commandId or no releaseId");
        }
    }

    private static void checkTarget(WorkloadRef target) {
        if (target == null || target.namespace() == null || target.name() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "command has no complete target");
        }
    }
}
