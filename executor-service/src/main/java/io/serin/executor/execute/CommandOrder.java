package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.WorkloadRef;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a command that arrives late from acting on a target after a newer one did. Kafka
 * re-delivers what was not committed before a crash, and the commands of two releases on one
 * target travel in different partitions, so arrival order is not issue order. Before a command
 * changes its target it leaves a mark on the target Deployment (release, command id, issue time)
 * in one compare-and-set with the check of the mark already there: a command issued before the
 * marked one is refused, the marked one itself (a re-delivery) is applied again, idempotently.
 * The mark lives on the object it guards, so it outlives executors and is seen by all of them.
 * docs/executor.md says what this assumes.
 */
final class CommandOrder {

    static final String RELEASE_ANNOTATION = "serin.io/last-command-release";
    static final String COMMAND_ANNOTATION = "serin.io/last-command";
    static final String ISSUED_ANNOTATION = "serin.io/last-command-issued";

    private static final Logger LOG = Logger.getLogger(CommandOrder.class);

    /** The last command that acted on a target. */
    record Mark(String releaseId, String commandId, Instant issuedAt) {
    }

    private final Workloads workloads;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param maxAge how old a command that moves a release forward may be; older ones are refused
     */
    CommandOrder(Workloads workloads, Duration maxAge, Clock clock) {
        this.workloads = workloads;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Refuses a command older than the maximum age. A rollback is exempt: it only puts back what
     * stood before its release, and only where the release's own objects still stand (the mark
     * and the ownership checks see to that), so a late one still does good.
     */
    void checkAge(ExecutorCommand command, Instant issuedAt, boolean rollback) {
        Duration age = Duration.between(issuedAt, clock.instant());
        if (!rollback && age.compareTo(maxAge) > 0) {
            throw new StaleCommand("issued at " + issuedAt + ", " + age.withNanos(0) + " ago, longer than the "
                    + "maximum command age " + maxAge + " (serin.executor.command-max-age): its release has given "
                    + "up waiting for it");
        }
    }

    /**
     * Marks the command's target with it, or throws {@link StaleCommand} if a command issued
     * after it has acted there. A target that does not exist has nothing to guard; the command
     * then fails on its own terms.
     */
    void admit(ExecutorCommand command, Instant issuedAt) {
        Mark mark = new Mark(command.releaseId(), command.commandId(), issuedAt);
        workloads.updateAnnotations(command.target(), annotations -> {
            Optional<Mark> last = read(command.target(), annotations);
            staleBecause(mark, last, command.target()).ifPresent(why -> {
                throw new StaleCommand(why);
            });
            return last.isPresent() && last.get().commandId().equals(mark.commandId()) ? annotations
                    : write(annotations, mark);
        });
    }

    /** Why {@code next} must not act on a target that {@code last} acted on; empty if it may. */
    static Optional<String> staleBecause(Mark next, Optional<Mark> last, WorkloadRef target) {
        if (last.isEmpty() || last.get().commandId().equals(next.commandId())
                || !next.issuedAt().isBefore(last.get().issuedAt())) {
            return Optional.empty();
        }
        Mark l = last.get();
        String newer = l.releaseId().equals(next.releaseId()) ? "command '" + l.commandId() + "' of this release"
                : "command '" + l.commandId() + "' of release '" + l.releaseId() + "', which has taken the target since";
        return Optional.of("issued at " + next.issuedAt() + ", but " + newer + " (issued at " + l.issuedAt()
                + ") already acted on " + target);
    }

    private static Optional<Mark> read(WorkloadRef target, Map<String, String> annotations) {
        String release = annotations.get(RELEASE_ANNOTATION);
        String command = annotations.get(COMMAND_ANNOTATION);
        String issued = annotations.get(ISSUED_ANNOTATION);
        if (release == null || command == null || issued == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Mark(release, command, Instant.parse(issued)));
        } catch (DateTimeParseException e) {
            // Refusing every command until someone repairs it by hand would stop all releases on the target.
            LOG.warnf("%s: unreadable annotation %s=%s (edited by hand?); replacing it", target, ISSUED_ANNOTATION,
                    issued);
            return Optional.empty();
        }
    }

    private static Map<String, String> write(Map<String, String> annotations, Mark mark) {
        Map<String, String> a = new HashMap<>(annotations);
        a.put(RELEASE_ANNOTATION, mark.releaseId());
        a.put(COMMAND_ANNOTATION, mark.commandId());
        a.put(ISSUED_ANNOTATION, mark.issuedAt().toString());
        return a;
    }
}
