package io.serin.executor.http;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.Limits;
import io.serin.events.policy.Redaction;
import io.serin.executor.execute.ExecutionFailure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gate rule: the executor calls only destinations its operator allowed. A request either names
 * a gate of the executor's configuration ({@code gate:smoke-tests}), whose URL and headers, secrets
 * included, never travel through Kafka, or gives a plain http(s) URL whose host is in the allow-list
 * ({@code ci.example.com}, or {@code *.example.com} for its subdomains). Nothing configured allows
 * no plain URL. Where the destination's host resolves to is the network rule's concern ({@link Networks}).
 */
final class GateDestinations {

    /** How a request refers to a named gate. */
    static final String SCHEME = "gate";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Where to ask, how long to wait, and what to send besides the release. */
    record Destination(URI url, Duration timeout, Map<String, String> headers) {

        /** The URL as results and logs show it: without user info, query or fragment. */
        String shown() {
            return Redaction.url(url.toString());
        }
    }

    private final Map<String, HttpWebhookGates.Named> named;
    private final List<String> allowedHosts;

    /** @throws IllegalArgumentException if a named gate's URL or headers cannot be used: a mistake to see at start-up */
    GateDestinations(Map<String, HttpWebhookGates.Named> named, List<String> allowedHosts) {
        this.named = new TreeMap<>(named);
        this.allowedHosts = allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.named.forEach((name, gate) -> {
            try {
                httpUrl(gate.url());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gate '" + name + "' (serin.executor.gates.\"" + name
                        + "\".url): " + Redaction.text(e.getMessage()));
            }
            gate.headers().forEach((header, value) -> {
                if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.indexOf('\r') >= 0
                        || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("gate '" + name + "' has an unusable header '" + header + "'");
                }
            });
        });
    }

    /**
     * Where {@code check} may be asked.
     *
     * @throws ExecutionFailure INVALID for a missing or malformed URL, FORBIDDEN when the gate rule refuses it
     */
    Destination of(ExecutorCommand.CheckGate check) {
        if (check.webhook() == null || check.webhook().url() == null || check.webhook().url().isBlank()) {
            throw new ExecutionFailure(FailureReason.INVALID, "gate " + check.gate() + " has no webhook url");
        }
        String url = check.webhook().url().strip();
        Duration asked = check.webhook().timeout();
        if (url.regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1)) {
            String name = url.substring(SCHEME.length() + 1);
            HttpWebhookGates.Named gate = named.get(name);
            if (gate == null) {
                throw new ExecutionFailure(FailureReason.FORBIDDEN, "gate " + check.gate() + " refused: unknown named "
                        + "gate '" + Redaction.url(name) + "' (the executor's named gates: " + named.keySet() + ")");
            }
            return new Destination(httpUrl(gate.url()), capped(gate.timeout().orElse(asked)), gate.headers());
        }
        URI uri;
        try {
            uri = httpUrl(url);
        } catch (IllegalArgumentException e) {
            throw new ExecutionFailure(FailureReason.INVALID, "gate " + check.gate() + " has an unusable webhook url: "
                    + e.getMessage());
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.stream().noneMatch(entry -> matches(entry, host))) {
            throw new ExecutionFailure(FailureReason.FORBIDDEN, "gate " + check.gate() + " refused: host '" + host
                    + "' of " + Redaction.url(url) + " is not allowed (serin.executor.gates.allowed-hosts: "
                    + (allowedHosts.isEmpty() ? "none; name the gate in the executor's configuration instead"
                            : allowedHosts) + ")");
        }
        return new Destination(uri, capped(asked), Map.of());
    }

    /** Bounded whoever wrote the command or the configuration. */
    static Duration capped(Duration asked) {
        if (asked == null || asked.isNegative() || asked.isZero()) {
            return DEFAULT_TIMEOUT;
        }
        return asked.compareTo(Limits.MAX_GATE_TIMEOUT) > 0 ? Limits.MAX_GATE_TIMEOUT : asked;
    }

    private static boolean matches(String entry, String host) {
        return entry.startsWith("*.") ? host.endsWith(entry.substring(1)) && host.length() > entry.length() - 1
                : entry.equals(host);
    }

    /** @throws IllegalArgumentException saying why, without quoting the URL: the parser's own message would */
    private static URI httpUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getReason() + " at index " + e.getIndex());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null || uri.isOpaque()) {
            throw new IllegalArgumentException("not an absolute http(s) URL with a host: " + Redaction.url(url));
        }
        return uri;
    }

    @Override
    public String toString() {
        return "named gates " + named.keySet() + ", hosts " + allowedHosts;
    }
}
