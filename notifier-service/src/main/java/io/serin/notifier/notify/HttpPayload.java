package io.serin.notifier.notify;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP request body as a platform wants it, with its content type, any extra headers and any
 * query parameters to add to the channel's URL (an idempotency key, for instance).
 */
public record HttpPayload(String contentType, byte[] body, Map<String, String> headers, Map<String, String> query) {

    public HttpPayload {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
    }

    public HttpPayload(String contentType, byte[] body, Map<String, String> headers) {
        this(contentType, body, headers, Map.of());
    }

    public HttpPayload withQueryParameter(String name, String value) {
        Map<String, String> more = new HashMap<>(query);
        more.put(name, value);
        return new HttpPayload(contentType, body, headers, more);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
