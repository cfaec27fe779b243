package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.events.EventCodec;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Renderer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A generic webhook in the CloudEvents HTTP binding, structured content mode: the body is the
 * release event's CloudEvent itself ({@code application/cloudevents+json}), with two extension
 * attributes for people and filters: {@code serinsummary} (one plain line) and {@code serinseverity}.
 * With a secret, {@value #SIGNATURE_HEADER} carries {@code sha256=<hex HMAC-SHA256 of the body>}.
 */
public final class CloudEventsRenderer implements Renderer {

    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    public static final String SIGNATURE_HEADER = "X-Serin-Signature-256";
    public static final String SUMMARY_ATTRIBUTE = "serinsummary";
    public static final String SEVERITY_ATTRIBUTE = "serinseverity";

    private final Optional<SecretKeySpec> key;

    public CloudEventsRenderer(Optional<String> secret) {
        this.key = secret.filter(s -> !s.isEmpty())
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    @Override
    public HttpPayload render(ChatMessage m) {
        ObjectNode event = EventCodec.toTree(m.event());
        event.put(SUMMARY_ATTRIBUTE, m.summary());
        event.put(SEVERITY_ATTRIBUTE, m.severity().name().toLowerCase());
        byte[] body = Json.bytes(event);
        return new HttpPayload(CONTENT_TYPE, body, key.map(k -> Map.of(SIGNATURE_HEADER, "sha256=" + sign(k, body)))
                .orElse(Map.of()));
    }

    /** The signature a receiver recomputes with the shared secret to check a body. */
    public static String sign(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "CloudEventsRenderer[signed=" + key.isPresent() + "]";
    }
}
