package io.serin.events;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code type} names the payload and its
 * version ({@code io.serin.release.requested.v1}); {@code subject} is the release id.
 *
 * @param <T> the payload type
 */
public record CloudEvent<T>(
        String specversion,
        String id,
        URI source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** A new envelope around {@code data}, with a random id and the type registered for the payload class. */
    public static <T> CloudEvent<T> of(URI source, String subject, Instant time, T data) {
        return withId(UUID.randomUUID().toString(), source, subject, time, data);
    }

    /**
     * An envelope with a caller-chosen id. Producers that may re-emit the same message after a crash
     * derive the id from the message's identity, so consumers can deduplicate by id.
     */
    public static <T> CloudEvent<T> withId(String id, URI source, String subject, Instant time, T data) {
        return new CloudEvent<>(SPEC_VERSION, id, source, MessageTypes.typeOf(data.getClass()), subject, time,
                JSON, data);
    }
}
