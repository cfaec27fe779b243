package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.EventCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The planner's operator REST API, as an operator's script would call it (docs/planner.md). */
final class PlannerApi {

    /** Who the sandbox itself reads as. */
    static final String READER = "serin-sandbox";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final java.util.function.Function<String, String> tokens;

    /** @param tokens a bearer token for a user name */
    PlannerApi(String baseUrl, java.util.function.Function<String, String> tokens) {
        this.baseUrl = baseUrl;
        this.tokens = tokens;
    }

    /** The release's phase (e.g. {@code SERVING}), or null while the planner does not know it yet. */
    String phase(String releaseId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/releases/" + releaseId))
                .header("Authorization", "Bearer " + tokens.apply(READER)).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        check(response, "read release " + releaseId);
        try {
            JsonNode view = EventCodec.mapper().readTree(response.body());
            return view.path("phase").asText(null);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer for release " + releaseId + ": " + response.body(), e);
        }
    }

    /** Asks for an action ({@code retire}, {@code promote}, {@code abort} …) as {@code user}. */
    void act(String releaseId, String action, String user, String reason) {
        String body = reason == null ? "" : "{\"reason\":\"" + reason.replace("\"", "'") + "\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/releases/" + releaseId + "/" + action))
                .header("Authorization", "Bearer " + tokens.apply(user)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        check(response, action + " release " + releaseId);
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("planner API at " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling the planner API", e);
        }
    }

    private static void check(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("cannot " + what + ": " + response.statusCode() + " " + response.body());
        }
    }
}
