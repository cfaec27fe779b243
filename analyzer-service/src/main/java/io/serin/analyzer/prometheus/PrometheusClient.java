package io.serin.analyzer.prometheus;

import io.serin.events.SourceProblem.Reason;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Instant and range queries against Prometheus' HTTP API, blocking the calling thread for at most the
 * timeout (plus a second for the body), with answers of at most {@link #MAX_BODY_BYTES}. Every
 * failure becomes a {@link QueryResult.Failed} with the reason; nothing is thrown.
 * Queries are POSTed as a form, so long templates do not hit URL length limits.
 */
final class PrometheusClient {

    /**
     * The largest answer read: far above one number, a histogram by {@code le} or a range of
     * {@value io.serin.events.Limits#MAX_HISTORY_VALUES} points (about 150 KiB), far below what a
     * query gone wrong (thousands of series) would make the analyzer hold.
     */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    private static final long BODY_GRACE_MS = 1_000;

    private final HttpClient http;
    private final URI instant;
    private final URI range;
    private final Duration timeout;
    private final int maxBodyBytes;

    PrometheusClient(URI baseUrl, Duration connectTimeout, Duration timeout) {
        this(baseUrl, connectTimeout, timeout, MAX_BODY_BYTES);
    }

    PrometheusClient(URI baseUrl, Duration connectTimeout, Duration timeout, int maxBodyBytes) {
        String base = baseUrl.toString();
        base = base.endsWith("/") ? base : base + "/";
        this.instant = URI.create(base + "api/v1/query");
        this.range = URI.create(base + "api/v1/query_range");
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Evaluates {@code promql} at {@code time} (the end of the window it covers). */
    QueryResult query(String promql, Instant time) {
        Object answer = post(instant, "query=" + encode(promql) + "&time=" + encode(seconds(time)) + "&timeout="
                + encode(QueryTemplate.duration(timeout)));
        return answer instanceof Answer a ? PrometheusResponse.parse(a.status(), a.body()) : (QueryResult) answer;
    }

    /**
     * Evaluates {@code promql} at {@code first}, {@code first + step}, ... up to {@code last}
     * ({@code /api/v1/query_range}): {@code count} points, a step without a value being null.
     */
    RangeResult queryRange(String promql, Instant first, Instant last, Duration step, int count) {
        Object answer = post(range, "query=" + encode(promql) + "&start=" + encode(seconds(first)) + "&end="
                + encode(seconds(last)) + "&step=" + encode(seconds(step)) + "&timeout="
                + encode(QueryTemplate.duration(timeout)));
        if (answer instanceof Answer a) {
            return PrometheusResponse.parseRange(a.status(), a.body(), first, step, count);
        }
        QueryResult.Failed failed = (QueryResult.Failed) answer;
        return new RangeResult.Failed(failed.reason(), failed.detail());
    }

    private record Answer(int status, String body) {
    }

    /** An {@link Answer}, or a {@link QueryResult.Failed}. */
    private Object post(URI endpoint, String form) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        // The request timeout ends at the response headers; the bound on get() also covers the body.
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, info -> new Limited(maxBodyBytes));
        try {
            HttpResponse<String> response = call.get(timeout.toMillis() + BODY_GRACE_MS, TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return timedOut(endpoint);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return timedOut(endpoint);
            }
            for (Throwable c = e.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof TooLarge) {
                    return new QueryResult.Failed(Reason.INVALID_RESULT, "the answer of " + endpoint
                            + " is larger than " + maxBodyBytes + " bytes; aggregate the query to one series");
                }
            }
            return new QueryResult.Failed(Reason.UNAVAILABLE, "cannot reach " + endpoint + ": "
                    + describe(e.getCause()));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new QueryResult.Failed(Reason.UNAVAILABLE, "interrupted while querying " + endpoint);
        }
    }

    private QueryResult.Failed timedOut(URI endpoint) {
        return new QueryResult.Failed(Reason.TIMEOUT, "no answer from " + endpoint + " within " + timeout.toMillis()
                + " ms");
    }

    private static String seconds(Instant time) {
        return BigDecimal.valueOf(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() == null || e.getCause() == e ? message : message + " (" + describe(e.getCause()) + ")";
    }

    private static final class TooLarge extends IOException {
        TooLarge(int max) {
            super("answer larger than " + max + " bytes");
        }
    }

    /** The body as UTF-8 text (Prometheus writes JSON), cancelled once it passes {@code max} bytes. */
    private static final class Limited implements HttpResponse.BodySubscriber<String> {

        private final HttpResponse.BodySubscriber<String> text =
                HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        private final int max;
        private Flow.Subscription subscription;
        private long received;
        private boolean failed;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<String> getBody() {
            return text.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            text.onSubscribe(s);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (failed) {
                return;
            }
            for (ByteBuffer b : items) {
                received += b.remaining();
            }
            if (received > max) {
                failed = true;
                subscription.cancel();
                text.onError(new TooLarge(max));
                return;
            }
            text.onNext(items);
        }

        @Override
        public void onError(Throwable e) {
            if (!failed) {
                text.onError(e);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                text.onComplete();
            }
        }
    }
}
