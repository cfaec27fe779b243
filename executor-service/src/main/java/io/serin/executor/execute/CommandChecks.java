package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.Limits;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every command must satisfy before it may touch the cluster, whoever wrote it: names that
 * Kubernetes accepts (the release id becomes a label value, the target's name gets suffixes), an
 * image where the command deploys one, and weights and percentages within 0–100. A real API server
 * would refuse most of these too, but only after part of a command was applied; refusing the whole
 * command first keeps it all-or-nothing. One place for every command type: the checks read the
 * record's components, so a new command type is checked without a change here.
 */
final class CommandChecks {

    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Room for the longest suffix Serin adds ("-baseline", "-preview") within the 253-character name limit. */
    private static final int MAX_TARGET_NAME = 240;

    private CommandChecks() {
    }

    /** @throws ExecutionFailure INVALID, naming every problem, if the command must not be applied */
    static void check(ExecutorCommand command) {
        List<String> problems = new ArrayList<>();
        if (command.releaseId() == null || !LABEL_VALUE.matcher(command.releaseId()).matches()) {
            problems.add("releaseId must be a label value (≤ 63 letters, digits, '-', '_', '.')");
        }
        target(command.target(), problems);
        for (RecordComponent component : command.getClass().getRecordComponents()) {
            Object value = value(component, command);
            switch (component.getName()) {
                // a gate asks about a version but deploys none: its version may be absent
                case "to" -> {
                    if (value != null || !(command instanceof ExecutorCommand.CheckGate)) {
                        version(value, problems);
                    }
                }
                // a canary's size in percent (1–100, or none) is checked where it is sized
                case "weight" -> percent("weight", value, problems);
                case "percent" -> {
                    if (command instanceof ExecutorCommand.SetMirrorRoute) {
                        percent("percent", value, problems);
                    }
                }
                default -> {
                    if (value instanceof String s && s.length() > Limits.MAX_TEXT) {
                        problems.add(component.getName() + " is longer than " + Limits.MAX_TEXT + " characters");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ExecutionFailure(FailureReason.INVALID, "invalid command: " + String.join("; ", problems));
        }
    }

    private static void target(WorkloadRef target, List<String> problems) {
        if (target == null) {
            problems.add("target is required");
            return;
        }
        if (target.namespace() == null || !DNS_LABEL.matcher(target.namespace()).matches()) {
            problems.add("target.namespace must be a namespace name");
        }
        if (target.name() == null || target.name().length() > MAX_TARGET_NAME
                || !DNS_SUBDOMAIN.matcher(target.name()).matches()) {
            problems.add("target.name must be a Deployment name of at most " + MAX_TARGET_NAME + " characters");
        }
        if (target.kind() != null && !WorkloadRef.DEPLOYMENT.equals(target.kind())) {
            problems.add("target.kind must be Deployment");
        }
    }

    private static void version(Object value, List<String> problems) {
        if (!(value instanceof VersionSpec to) || to.image() == null || to.image().isBlank()) {
            problems.add("to.image is required");
        } else if (to.image().length() > Limits.MAX_TEXT || to.image().chars().anyMatch(Character::isWhitespace)) {
            problems.add("to.image must be an image reference of at most " + Limits.MAX_TEXT
                    + " characters, without spaces");
        } else if (to.container() != null && !DNS_LABEL.matcher(to.container()).matches()) {
            problems.add("to.container must be a container name");
        }
    }

    private static void percent(String name, Object value, List<String> problems) {
        if (value instanceof Integer n && (n < 0 || n > 100)) {
            problems.add(name + " must be between 0 and 100 (was " + n + ")");
        }
    }

    private static Object value(RecordComponent component, ExecutorCommand command) {
        try {
            return component.getAccessor().invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + command.getClass(), e);
        }
    }
}
