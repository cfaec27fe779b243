package io.serin.planner.config;

import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where releases may deploy and what, under {@code serin.policy}: the same keys for the planner
 * (which refuses a request) and the executor (which refuses a command). Unset means nothing is open.
 */
@ConfigMapping(prefix = "serin.policy")
public interface PolicyConfig {

    /** Namespaces open to releases: names, or prefixes written {@code team-*}; {@code *} for all. */
    Optional<Set<String>> namespaces();

    /** Namespaces never open, beyond the system ones (Serin's own, for one). */
    Optional<Set<String>> protectedNamespaces();

    /** Registries (and repository prefixes) images may come from, e.g. {@code ghcr.io/acme}. */
    Optional<List<String>> registries();

    /** Whether an image must be pinned by digest. */
    @WithDefault("false")
    boolean digestsOnly();

    default NamespacePolicy namespacePolicy() {
        return NamespacePolicy.of(namespaces(), protectedNamespaces());
    }

    default ImagePolicy imagePolicy() {
        return ImagePolicy.of(registries(), digestsOnly());
    }
}
