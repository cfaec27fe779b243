package io.serin.events.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which namespaces releases may touch. The rule: a namespace is open only when an entry names it
 * (exactly, or as a prefix written {@code team-*}), and a system namespace never is, whatever is
 * configured. With nothing configured no namespace is open: a planner or executor that was not told
 * where it may deploy deploys nowhere. The same rule is applied by the planner (a request is refused
 * with a violation) and by the executor (a command is refused), so neither trusts the other.
 */
public final class NamespacePolicy {

    /**
     * Namespaces of the cluster itself and of its distributions: {@code kube-*} (kube-system,
     * kube-public, kube-node-lease) and {@code openshift*}.
     */
    public static final List<String> SYSTEM = List.of("kube-*", "openshift*");

    private final Set<String> allowed;
    private final Set<String> protectedNamespaces;

    /**
     * @param allowed             exact names or prefixes ending in {@code *}; {@code *} alone opens
     *                            every namespace that is not protected
     * @param protectedNamespaces more namespaces that are never open (Serin's own, for one): names or
     *                            prefixes, like {@code allowed}
     */
    public NamespacePolicy(Set<String> allowed, Set<String> protectedNamespaces) {
        this.allowed = clean(allowed);
        this.protectedNamespaces = clean(protectedNamespaces);
    }

    public static NamespacePolicy of(Optional<? extends Set<String>> allowed, Optional<? extends Set<String>> protectedNamespaces) {
        return new NamespacePolicy(allowed.map(s -> (Set<String>) s).orElse(Set.of()),
                protectedNamespaces.map(s -> (Set<String>) s).orElse(Set.of()));
    }

    /** Why releases may not touch {@code namespace}; empty when they may. */
    public Optional<String> whyNot(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            return Optional.of("no namespace given");
        }
        for (String system : SYSTEM) {
            if (matches(system, namespace)) {
                return Optional.of("'" + namespace + "' is a system namespace; releases never touch those");
            }
        }
        for (String entry : protectedNamespaces) {
            if (matches(entry, namespace)) {
                return Optional.of("'" + namespace + "' is protected (serin.policy.protected-namespaces)");
            }
        }
        if (allowed.isEmpty()) {
            return Optional.of("no namespace is open to releases: set serin.policy.namespaces (names or "
                    + "prefixes such as team-*)");
        }
        for (String entry : allowed) {
            if (matches(entry, namespace)) {
                return Optional.empty();
            }
        }
        return Optional.of("'" + namespace + "' is not among the namespaces open to releases " + allowed);
    }

    /** Entries as configured lists deliver them: blanks around commas, any case (names are lower case). */
    private static Set<String> clean(Set<String> entries) {
        Set<String> clean = new TreeSet<>();
        for (String e : entries) {
            if (e != null && !e.isBlank()) {
                clean.add(e.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return clean;
    }

    private static boolean matches(String entry, String namespace) {
        String e = entry.trim();
        return e.endsWith("*") ? namespace.startsWith(e.substring(0, e.length() - 1)) : e.equals(namespace);
    }

    @Override
    public String toString() {
        return "namespaces " + allowed + ", protected " + protectedNamespaces + ", system " + SYSTEM;
    }
}
