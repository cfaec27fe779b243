package io.serin.events;

/**
 * Which requests a route sends to the new version: those whose header {@code header} equals
 * {@code value} (or matches it as a regular expression when {@code regex} is true), those that
 * carry cookie {@code cookie} with the value {@code always}, or those whose path starts with
 * {@code pathPrefix} (API versions served side by side). Exactly one of {@code header},
 * {@code cookie} and {@code pathPrefix} is set.
 */
public record RouteMatch(String header, String value, Boolean regex, String cookie, String pathPrefix) {

    public RouteMatch(String header, String value, Boolean regex, String cookie) {
        this(header, value, regex, cookie, null);
    }

    /** Requests whose header {@code name} is exactly {@code value}. */
    public static RouteMatch header(String name, String value) {
        return new RouteMatch(name, value, null, null, null);
    }

    /** Requests whose header {@code name} matches the regular expression {@code pattern}. */
    public static RouteMatch headerRegex(String name, String pattern) {
        return new RouteMatch(name, pattern, true, null, null);
    }

    /** Requests carrying cookie {@code name=always}. */
    public static RouteMatch cookie(String name) {
        return new RouteMatch(null, null, null, name, null);
    }

    /** Requests whose path starts with {@code prefix}, e.g. {@code /v2}. */
    public static RouteMatch pathPrefix(String prefix) {
        return new RouteMatch(null, null, null, null, prefix);
    }
}
