package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.VersionSpec;
import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;

import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * The shared policy ({@code serin.policy}) as the executor applies it to a command, whoever issued
 * it: its target's namespace must be open to releases, and the image it deploys, if it deploys one,
 * must come from an allowed registry. Both fail closed: with nothing configured every command is
 * refused. The planner applies the same rule to requests; the executor does not trust that it did.
 */
public final class CommandPolicy {

    private final NamespacePolicy namespaces;
    private final ImagePolicy images;

    public CommandPolicy(NamespacePolicy namespaces, ImagePolicy images) {
        this.namespaces = namespaces;
        this.images = images;
    }

    /** @throws ExecutionFailure FORBIDDEN, naming the rule, if the policy refuses the command */
    void check(ExecutorCommand command) {
        Optional<String> namespace = namespaces.whyNot(command.target().namespace());
        if (namespace.isPresent()) {
            throw new ExecutionFailure(FailureReason.FORBIDDEN, "refused by the namespace policy: " + namespace.get());
        }
        deployedImage(command).flatMap(images::whyNot).ifPresent(why -> {
            throw new ExecutionFailure(FailureReason.FORBIDDEN, "refused by the image policy: " + why);
        });
    }

    /** The image a command puts on the cluster; a gate only asks about one, and rollbacks put back what stood. */
    private static Optional<String> deployedImage(ExecutorCommand command) {
        if (command instanceof ExecutorCommand.CheckGate) {
            return Optional.empty();
        }
        for (RecordComponent component : command.getClass().getRecordComponents()) {
            if (component.getType() == VersionSpec.class) {
                try {
                    VersionSpec to = (VersionSpec) component.getAccessor().invoke(command);
                    return Optional.ofNullable(to).map(VersionSpec::image);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of " + command.getClass(), e);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return namespaces + "; " + images;
    }
}
