package io.serin.notifier.notify;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP request body as a platform wants it, with its content type and any extra headers. */
public record HttpPayload(String contentType, byte[] body, Map<String, String> headers) {

    public HttpPayload {
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
