package io.serin.executor.testing;

import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;
import io.serin.executor.execute.CommandPolicy;

import java.util.List;
import java.util.Set;

/** The policy a test configures: the namespaces it uses, and the registry of its example images. */
public final class Policies {

    /** Where tests' example images come from ({@code ExampleApps.IMAGE} and the like). */
    public static final String REGISTRY = "registry.example.com";

    private Policies() {
    }

    /** Opens {@code namespaces} (names or {@code prefix-*}) to images of {@link #REGISTRY}. */
    public static CommandPolicy allowing(String... namespaces) {
        return new CommandPolicy(new NamespacePolicy(Set.of(namespaces), Set.of()),
                new ImagePolicy(List.of(REGISTRY), false));
    }
}
