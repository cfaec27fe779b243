package io.serin.analyzer.prometheus;

import io.serin.events.SourceProblem.Reason;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Instant queries against Prometheus' HTTP API, blocking the calling thread for at most the
 * timeout (plus a second for the body). Every failure becomes a {@link QueryResult.Failed} with
 * the reason; nothing is thrown.
 * Queries are POSTed as a form, so long templates do not hit URL length limits.
 */
final class PrometheusClient {

    private static final long BODY_GRACE_MS = 1_000;

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;

    PrometheusClient(URI baseUrl, Duration connectTimeout, Duration timeout) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/query");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Evaluates {@code promql} at {@code time} (the end of the window it covers). */
    QueryResult query(String promql, Instant time) {
        String form = "query=" + encode(promql) + "&time=" + encode(seconds(time)) + "&timeout="
                + encode(QueryTemplate.duration(timeout));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        // The request timeout ends at the response headers; the bound on get() also covers the body.
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = call.get(timeout.toMillis() + BODY_GRACE_MS, TimeUnit.MILLISECONDS);
            return PrometheusResponse.parse(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return timedOut();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return timedOut();
            }
            return new QueryResult.Failed(Reason.UNAVAILABLE, "cannot reach " + endpoint + ": "
                    + describe(e.getCause()));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new QueryResult.Failed(Reason.UNAVAILABLE, "interrupted while querying " + endpoint);
        }
    }

    private QueryResult timedOut() {
        return new QueryResult.Failed(Reason.TIMEOUT, "no answer from " + endpoint + " within " + timeout.toMillis()
                + " ms");
    }

    private static String seconds(Instant time) {
        return BigDecimal.valueOf(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() == null || e.getCause() == e ? message : message + " (" + describe(e.getCause()) + ")";
    }
}
