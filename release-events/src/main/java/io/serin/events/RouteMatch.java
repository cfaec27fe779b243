package io.serin.events;

/**
 * Which requests a header route sends to the canary: those whose header {@code header} equals
 * {@code value} (or matches it as a regular expression when {@code regex} is true), or those that
 * carry cookie {@code cookie} with the value {@code always}. Exactly one of {@code header} and
 * {@code cookie} is set.
 */
public record RouteMatch(String header, String value, Boolean regex, String cookie) {

    /** Requests whose header {@code name} is exactly {@code value}. */
    public static RouteMatch header(String name, String value) {
        return new RouteMatch(name, value, null, null);
    }

    /** Requests whose header {@code name} matches the regular expression {@code pattern}. */
    public static RouteMatch headerRegex(String name, String pattern) {
        return new RouteMatch(name, pattern, true, null);
    }

    /** Requests carrying cookie {@code name=always}. */
    public static RouteMatch cookie(String name) {
        return new RouteMatch(null, null, null, name);
    }
}
