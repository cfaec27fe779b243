package io.serin.notifier.notify;

import io.serin.events.Severity;
import io.serin.events.WorkloadRef;

import java.util.List;
import java.util.Optional;

/**
 * A configured route: events of releases in {@code namespace} (and of {@code app}, when given) at
 * or above {@code minSeverity} go to {@code channels}. An absent namespace or app matches any.
 */
public record Route(String name, List<String> channels, Optional<String> namespace, Optional<String> app,
        Severity minSeverity) {

    public Route {
        channels = List.copyOf(channels);
    }

    boolean matches(WorkloadRef target, Severity severity) {
        if (!Severities.atLeast(severity, minSeverity)) {
            return false;
        }
        if (namespace.isEmpty() && app.isEmpty()) {
            return true;
        }
        // a route scoped to a namespace or app cannot match an event whose target is unknown
        return target != null && namespace.map(n -> n.equals(target.namespace())).orElse(true)
                && app.map(a -> a.equals(target.name())).orElse(true);
    }
}
