package io.serin.notifier.chat;

import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Webhook;
import io.serin.notifier.notify.WebhookAnswer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Posts rendered payloads to one webhook URL (Slack, Teams Workflows, Discord, Google Chat and
 * generic webhooks are all a POST of a body).
 *
 * <p>The URL often carries a secret (a token in the path or query), so it never appears in what this
 * class throws or prints: errors name only the kind of failure, and causes are deliberately not
 * chained because the JDK's own messages may quote the URI.
 */
public final class WebhookClient implements Webhook {

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;

    public WebhookClient(URI url, Duration timeout) {
        String scheme = url.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || url.getHost() == null) {
            throw new IllegalArgumentException("the webhook URL must be an absolute http(s) URL with a host");
        }
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public WebhookAnswer post(HttpPayload payload) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(withQuery(url, payload.query()))
                .timeout(timeout)
                .header("Content-Type", payload.contentType())
                .header("User-Agent", "serin-notifier");
        payload.headers().forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(payload.body())).build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new IOException("webhook did not answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new IOException("webhook unreachable (connection refused or failed)");
        } catch (IOException e) {
            throw new IOException("webhook request failed (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            throw new IllegalStateException("webhook request failed (" + e.getClass().getSimpleName() + ")");
        }
        return new WebhookAnswer(response.statusCode(), retryAfter(response.headers()));
    }

    /** The channel's URL with the payload's parameters added to whatever query it already has (a key, a token). */
    static URI withQuery(URI url, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return url;
        }
        StringBuilder query = new StringBuilder(url.getRawQuery() == null ? "" : url.getRawQuery());
        new TreeMap<>(parameters).forEach((name, value) -> query.append(query.length() == 0 ? "" : "&")
                .append(encode(name)).append('=').append(encode(value)));
        String base = url.toString();
        int end = base.indexOf('?') >= 0 ? base.indexOf('?') : base.indexOf('#') >= 0 ? base.indexOf('#') : base.length();
        return URI.create(base.substring(0, end) + "?" + query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Retry-After as delay-seconds or as an HTTP-date (RFC 9110 allows both); unparsable means our backoff. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(value -> {
            String v = value.trim();
            try {
                long seconds = Long.parseLong(v);
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            } catch (NumberFormatException notSeconds) {
                try {
                    java.time.Instant at = java.time.ZonedDateTime.parse(v,
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration wait = Duration.between(java.time.Instant.now(), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (java.time.format.DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "WebhookClient[" + url.getScheme() + "://" + url.getHost() + "/…]";
    }
}
