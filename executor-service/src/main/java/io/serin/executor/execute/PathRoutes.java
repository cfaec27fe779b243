package io.serin.executor.execute;

import io.serin.events.FailureReason;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names of the routes that send a path prefix to the canary (API versions side by side). Every
 * router names them after the prefix, so a second prefix adds a route rather than replacing one.
 */
public final class PathRoutes {

    /** Route, rule and Ingress names are DNS labels at most 63 long; leave room for prefixes and suffixes. */
    private static final int MAX_SLUG = 40;

    private PathRoutes() {
    }

    /** {@code /api/v2} → {@code api-v2}; long or lossy prefixes get a hash so two never share a name. */
    public static String slug(String pathPrefix) {
        check(pathPrefix);
        String slug = pathPrefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        // only "/a/b" maps one-to-one onto "a-b"; "/a-b", "/A/b" and "/a/b/" would share it
        boolean lossless = pathPrefix.matches("(/[a-z0-9]+)+");
        if (!lossless || slug.length() > MAX_SLUG) {
            String head = slug.length() > MAX_SLUG - 8 ? slug.substring(0, MAX_SLUG - 8) : slug;
            slug = (head.isEmpty() ? "" : head.replaceAll("-+$", "") + "-") + hash(pathPrefix);
        }
        return slug;
    }

    /** A prefix must be an absolute path below the root: "/" alone would be all traffic, a weight of 100. */
    public static void check(String pathPrefix) {
        if (pathPrefix == null || !pathPrefix.startsWith("/") || pathPrefix.length() < 2
                || pathPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new ExecutionFailure(FailureReason.INVALID, "match.pathPrefix must be an absolute path below "
                    + "\"/\" such as \"/v2\", not '" + pathPrefix + "'");
        }
    }

    /** How a route's own path match is written. */
    public enum PathKind {
        /** No path condition: every path. */
        ANY,
        PREFIX,
        EXACT,
        /** A regular expression, which Serin does not try to intersect with a prefix. */
        OTHER
    }

    /** How the paths a route matches meet a path prefix. */
    public enum Overlap {
        /** None of its paths is under the prefix (or that cannot be told): no path route beside it. */
        NONE,
        /** All of its paths are under the prefix: its match as it is. */
        KEEP,
        /** Some of its paths are: its match narrowed to the prefix. */
        NARROW
    }

    /** The requests a path route beside a route matching {@code kind value} must select. */
    public static Overlap overlap(PathKind kind, String value, String pathPrefix) {
        return switch (kind) {
            case ANY -> Overlap.NARROW;
            case PREFIX -> pathPrefix.startsWith(value) ? Overlap.NARROW
                    : value.startsWith(pathPrefix) ? Overlap.KEEP : Overlap.NONE;
            case EXACT -> value.startsWith(pathPrefix) ? Overlap.KEEP : Overlap.NONE;
            case OTHER -> Overlap.NONE;
        };
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
