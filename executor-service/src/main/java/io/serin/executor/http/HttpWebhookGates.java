package io.serin.executor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.Limits;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.WebhookGates;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@link WebhookGates} over {@link HttpClient}: one POST of the release as JSON per question, no
 * retry (the planner asks again after the gate's retry interval), the answer's body ignored but
 * for a short excerpt in the detail.
 */
public final class HttpWebhookGates implements WebhookGates {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int EXCERPT = 200;
    /** How much of an answer is read at most: the excerpt needs little, and a gate must not flood the executor. */
    static final int MAX_ANSWER_BYTES = 4096;

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public HttpWebhookGates() {
        // connecting is bounded too: the request timeout starts only once a connection exists
        this.http = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Answer ask(ExecutorCommand.CheckGate check) {
        URI url = url(check);
        String shown = shown(url);
        Duration asked = check.webhook().timeout();
        // bounded whoever wrote the command: a gate's answer holds its release's command lane
        Duration timeout = asked == null || asked.isNegative() || asked.isZero() ? DEFAULT_TIMEOUT
                : asked.compareTo(Limits.MAX_GATE_TIMEOUT) > 0 ? Limits.MAX_GATE_TIMEOUT : asked;
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body(check))).build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String body;
            try (java.io.InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_ANSWER_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            }
            String detail = shown + " answered " + status + excerpt(body);
            return new Answer(status >= 200 && status < 300, detail);
        } catch (HttpTimeoutException e) {
            return new Answer(false, shown + " did not answer within " + timeout);
        } catch (ConnectException e) {
            return new Answer(false, "cannot connect to " + shown + ": " + describe(e));
        } catch (IOException e) {
            return new Answer(false, "request to " + shown + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionFailure(FailureReason.INTERNAL, "interrupted while asking gate " + check.gate()
                    + " at " + shown);
        }
    }

    private static URI url(ExecutorCommand.CheckGate check) {
        if (check.webhook() == null || check.webhook().url() == null || check.webhook().url().isBlank()) {
            throw new ExecutionFailure(FailureReason.INVALID, "gate " + check.gate() + " has no webhook url");
        }
        try {
            URI url = URI.create(check.webhook().url());
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new ExecutionFailure(FailureReason.INVALID, "gate " + check.gate()
                    + " has an unusable webhook url: " + e.getMessage());
        }
    }

    /** What the gate is asked about: {releaseId, target, to, gate}. */
    private String body(ExecutorCommand.CheckGate check) {
        ObjectNode body = json.createObjectNode();
        body.put("releaseId", check.releaseId());
        body.set("target", json.valueToTree(check.target()));
        body.set("to", json.valueToTree(check.to()));
        body.put("gate", check.gate());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    /**
     * The URL as it may appear in results, events and logs: without user info and query, where a
     * gate's credentials live.
     */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + (flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
