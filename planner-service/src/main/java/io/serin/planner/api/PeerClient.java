package io.serin.planner.api;

import io.serin.events.EventCodec;
import io.serin.planner.plan.ReleaseState;
import org.apache.kafka.streams.state.HostInfo;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** A peer's answer for up to 1000 releases is far below this; a larger one is refused unread. */
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Optional<String> token;

    PeerClient(Optional<String> token) {
        this.token = token;
    }

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

    /**
     * One call, answered whole within {@code REQUEST_TIMEOUT} (headers and body: a peer that trickles
     * its body is given up on too), with a declared length of at most {@code MAX_BODY}.
     */
    private HttpResponse<byte[]> send(HostInfo peer, String path) {
        URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + path);
        if (token.isEmpty()) {
            throw new ReleaseStore.Unavailable("release is held by planner instance " + peer + ", and this "
                    + "instance has no serin.planner.peers.token to ask it with", null);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token.get()).GET().build();
        HttpResponse.BodyHandler<byte[]> bounded = info -> {
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return length < 0 || length > MAX_BODY ? HttpResponse.BodySubscribers.replacing(null)
                    : HttpResponse.BodySubscribers.ofByteArray();
        };
        try {
            return http.sendAsync(request, bounded).get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ReleaseStore.Unavailable("planner instance " + peer + " did not answer " + path + " within "
                    + REQUEST_TIMEOUT + ": " + (e.getCause() != null ? e.getCause() : e), e);
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
        if (response.body() == null) {
            throw new ReleaseStore.Unavailable("planner instance " + peer + " answered " + response.uri().getPath()
                    + " without a length or with more than " + MAX_BODY + " bytes", null);
        }
        return response.body();
    }
}
