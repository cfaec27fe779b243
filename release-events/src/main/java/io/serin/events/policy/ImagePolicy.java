package io.serin.events.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which images a release may deploy. The rule: an image is allowed only when it names its registry
 * (a short name such as {@code nginx} may be resolved through search registries by the runtime) and
 * its registry and repository path start with an allowed entry, compared on whole path segments;
 * with {@code digestsOnly} it must also be pinned by a sha256 digest. With nothing configured no
 * image is allowed; {@code *} allows any registry, short names included. Planner and executor apply
 * the same rule.
 */
public final class ImagePolicy {

    /** Registry host[:port], path segments, optional tag, optional digest: the grammar of distribution/reference. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
                    + "(?:@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}))?");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int MAX_LENGTH = 512;

    private final List<String> registries;
    private final boolean digestsOnly;

    /**
     * @param registries  prefixes such as {@code ghcr.io/acme} or {@code registry.example.com}; {@code *}
     *                    allows every registry (then only {@code digestsOnly} constrains)
     * @param digestsOnly whether a tag alone is refused
     */
    public ImagePolicy(List<String> registries, boolean digestsOnly) {
        this.registries = registries.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.digestsOnly = digestsOnly;
    }

    public static ImagePolicy of(Optional<? extends List<String>> registries, boolean digestsOnly) {
        return new ImagePolicy(registries.map(l -> (List<String>) l).orElse(List.of()), digestsOnly);
    }

    /** Why {@code image} may not be deployed; empty when it may. */
    public Optional<String> whyNot(String image) {
        if (image == null || image.isBlank()) {
            return Optional.of("no image given");
        }
        if (image.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        var m = REFERENCE.matcher(image);
        if (!m.matches()) {
            return Optional.of("'" + image + "' is not a valid image reference");
        }
        String digest = m.group("digest");
        if (digestsOnly && (digest == null || !SHA256.matcher(digest).matches())) {
            return Optional.of("'" + image + "' is not pinned by digest (name@sha256:…); the image policy "
                    + "allows digests only");
        }
        String name = normalise(m.group("name"));
        if (!registries.contains("*") && !namesRegistry(m.group("name"))) {
            // a runtime may resolve a short name through search registries (CRI-O): what is checked
            // must be what is pulled
            return Optional.of("'" + image + "' does not name its registry; write it in full ('" + name + "')");
        }
        if (registries.isEmpty()) {
            return Optional.of("no registry is allowed: set serin.policy.registries (e.g. ghcr.io/acme)");
        }
        for (String entry : registries) {
            if (entry.equals("*") || name.equals(entry) || name.startsWith(entry + "/")) {
                return Optional.empty();
            }
        }
        return Optional.of("'" + name + "' is not from an allowed registry " + registries);
    }

    private static boolean namesRegistry(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        return slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    }

    /** The name as a runtime pulls it: registry host first. */
    static String normalise(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (hasRegistry) {
            return first.equals("index.docker.io") ? "docker.io" + name.substring(slash) : name;
        }
        return slash < 0 ? "docker.io/library/" + name : "docker.io/" + name;
    }

    @Override
    public String toString() {
        return "registries " + registries + (digestsOnly ? ", digests only" : "");
    }
}
