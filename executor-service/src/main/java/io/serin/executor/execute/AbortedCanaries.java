package io.serin.executor.execute;

import io.serin.events.TrafficRouting;
import io.serin.events.WorkloadRef;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Rolled-back canaries whose pods stay a while without traffic (the abort delay). The canary is
 * marked with the time its pods go ({@link Canaries#REMOVE_AFTER_ANNOTATION}) and their removal is
 * scheduled on a thread of its own, so no other release waits. The mark is the durable part: if
 * the executor restarts in between, the next command on the target removes a canary whose time is
 * up; a command that reuses the canary first drops the mark (ensureCanary does), and a removal
 * finding a different mark, or none, leaves the canary alone.
 */
final class AbortedCanaries {

    private static final Logger LOG = Logger.getLogger(AbortedCanaries.class);

    private final Workloads workloads;
    private final Services services;
    private final Duration delay;
    private final Clock clock;
    private final Object lock;
    private ScheduledExecutorService scheduler;

    /** {@code lock} is held by every command, so a removal never runs in the middle of one. */
    AbortedCanaries(Workloads workloads, Services services, Duration delay, Clock clock, Object lock) {
        this.workloads = workloads;
        this.services = services;
        this.delay = delay;
        this.clock = clock;
        this.lock = lock;
    }

    /** Only routed canaries can be without traffic and still run; replicaRatio traffic is its pods. */
    boolean delays(TrafficRouting routing) {
        return !delay.isZero() && !delay.isNegative() && routing != null
                && !(routing instanceof TrafficRouting.ReplicaRatio) && services != null;
    }

    /** Marks the canary, whose routes are gone, and schedules the removal of its pods; returns when. */
    Instant deferRemoval(WorkloadRef target) {
        Instant at = clock.instant().plus(delay);
        workloads.annotate(target.namespace(), Canaries.canaryName(target), Canaries.REMOVE_AFTER_ANNOTATION,
                at.toString());
        scheduler().schedule(() -> {
            synchronized (lock) {
                try {
                    removeIfMarked(target, at);
                } catch (RuntimeException e) {
                    LOG.warnf("%s: aborted canary not removed (the next command on it retries): %s", target,
                            e.getMessage());
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return at;
    }

    /** Removes the target's aborted canary if its time is up; called before each command on the target. */
    void sweep(WorkloadRef target) {
        mark(target).filter(at -> !at.isAfter(clock.instant())).ifPresent(at -> removeIfMarked(target, at));
    }

    private void removeIfMarked(WorkloadRef target, Instant at) {
        if (!mark(target).filter(at::equals).isPresent()) {
            return;
        }
        workloads.delete(target.namespace(), Canaries.canaryName(target));
        workloads.delete(target.namespace(), Canaries.baselineName(target));
        if (services != null) {
            services.deleteCanaryService(target);
            services.deleteBaselineService(target);
        }
        LOG.infof("%s: aborted canary removed after the abort delay", target);
    }

    private Optional<Instant> mark(WorkloadRef target) {
        return workloads.annotation(target.namespace(), Canaries.canaryName(target), Canaries.REMOVE_AFTER_ANNOTATION)
                .flatMap(value -> {
                    try {
                        return Optional.of(Instant.parse(value));
                    } catch (DateTimeParseException e) {
                        return Optional.of(Instant.EPOCH); // unreadable: treat as due rather than keep it forever
                    }
                });
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "serin-abort-delay");
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }
}
