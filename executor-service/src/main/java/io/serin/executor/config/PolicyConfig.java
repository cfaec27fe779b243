package io.serin.executor.config;

import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where releases may deploy and what, under {@code serin.policy}: the same keys in every service, so
 * that the planner and the executor apply one rule and neither trusts the other. Nothing configured
 * opens nothing.
 */
@ConfigMapping(prefix = "serin.policy")
public interface PolicyConfig {

    /** Namespaces open to releases, exactly or as {@code team-*}; unset opens none. System namespaces never are. */
    Optional<Set<String>> namespaces();

    /** Namespaces never open, whatever {@link #namespaces()} says (Serin's own, for one). */
    Optional<Set<String>> protectedNamespaces();

    /** Registries and repository prefixes images may come from ({@code ghcr.io/acme}); unset allows no image. */
    Optional<List<String>> registries();

    /** Whether an image must be pinned by a sha256 digest. */
    @WithDefault("false")
    boolean digestsOnly();

    default NamespacePolicy namespacePolicy() {
        return NamespacePolicy.of(namespaces(), protectedNamespaces());
    }

    default ImagePolicy imagePolicy() {
        return ImagePolicy.of(registries(), digestsOnly());
    }
}
