package io.serin.planner.api;

import io.serin.events.EventCodec;
import io.serin.planner.plan.ReleaseState;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads release state held by another planner instance, over its internal endpoint, with timeouts. */
final class PeerClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    Optional<ReleaseState> get(HostInfo peer, String releaseId) {
        HttpResponse<byte[]> response = send(peer, "/internal/releases/"
                + URLEncoder.encode(releaseId, StandardCharsets.UTF_8));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(EventCodec.readValue(body(peer, response), ReleaseState.class));
    }

    List<ReleaseState> list(HostInfo peer, int limit) {
        HttpResponse<byte[]> response = send(peer, "/internal/releases?limit=" + limit);
        return Arrays.asList(EventCodec.readValue(body(peer, response), ReleaseState[].class));
    }

    private HttpResponse<byte[]> send(HostInfo peer, String path) {
        URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ReleaseStore.Unavailable("planner instance " + peer + " did not answer " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseStore.Unavailable("interrupted while asking " + peer, e);
        }
    }

    private static byte[] body(HostInfo peer, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new ReleaseStore.Unavailable("planner instance " + peer + " answered " + response.statusCode()
                    + " for " + response.uri().getPath(), null);
        }
        return response.body();
    }
}
