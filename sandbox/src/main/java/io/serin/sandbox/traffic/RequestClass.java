package io.serin.sandbox.traffic;

import java.util.Locale;
import java.util.Map;

/**
 * One kind of request the synthetic clients send: its path and headers (names in lower case, as
 * HTTP/2 carries them), and the share of an app's requests that look like it.
 */
public record RequestClass(String path, Map<String, String> headers, double share) {

    public RequestClass {
        headers = Map.copyOf(headers);
    }

    /** The header's value, or null; header names are case-insensitive. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The value of cookie {@code name} in the Cookie header, or null. */
    public String cookie(String name) {
        String cookies = header("cookie");
        if (cookies == null) {
            return null;
        }
        for (String pair : cookies.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return pair.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
