package io.serin.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.Set;

/** Everything the planner can be told, under {@code serin.planner}. */
@ConfigMapping(prefix = "serin.planner")
public interface PlannerConfig {

    /** Namespaces releases may target; unset means any. */
    Optional<Set<String>> allowedNamespaces();

    /** How often due timers (pause ends, progress deadlines) are looked for. */
    @WithDefault("200ms")
    java.time.Duration timerTick();

    /** CloudEvents {@code source} of everything the planner emits. */
    @WithDefault("urn:serin:planner")
    String source();
}
