package io.serin.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Reads and writes the CloudEvents (structured JSON) of one topic. Readers ignore unknown fields,
 * so adding an optional field never breaks a consumer; a breaking change gets a new type version.
 *
 * @param <T> the sealed root of the topic's messages
 */
public final class EventCodec<T> {

    /**
     * How deep a contract message may nest (the deepest, a release request, needs about a dozen
     * levels) and how long one string may be: a hostile writer's document is refused while parsing,
     * before it costs stack or memory.
     */
    public static final int MAX_NESTING = 64;
    public static final int MAX_STRING = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_STRING).build())
                    .build())
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a missing number must not silently read as 0 (weight 0, sequence 0)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final Class<T> root;

    private EventCodec(Class<T> root) {
        this.root = root;
    }

    /** The codec for the topic whose messages implement {@code root}. */
    public static <T> EventCodec<T> of(Class<T> root) {
        if (!MessageTypes.ROOTS.contains(root)) {
            throw new IllegalArgumentException(root.getName() + " is not a topic root");
        }
        return new EventCodec<>(root);
    }

    /** The shared, configured mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public byte[] encode(CloudEvent<? extends T> event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event.type() + " " + event.id(), e);
        }
    }

    /**
     * Reads one record.
     *
     * @throws InvalidMessageException with the reason when the bytes are not a CloudEvent of this
     *                                 topic, or when its payload does not bind (with field-level
     *                                 violations)
     */
    @SuppressWarnings("unchecked")
    public CloudEvent<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidMessageException("empty record value", null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidMessageException("not JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException("not a JSON object", null);
        }
        String type = text(tree, "type");
        String subject = text(tree, "subject");
        if (!CloudEvent.SPEC_VERSION.equals(text(tree, "specversion"))) {
            throw new InvalidMessageException("not a CloudEvents 1.0 envelope: specversion is "
                    + text(tree, "specversion"), type, subject, List.of(), null);
        }
        for (String required : List.of("id", "source", "type")) {
            if (text(tree, required) == null) {
                throw new InvalidMessageException("CloudEvent attribute '" + required + "' is missing", type,
                        subject, List.of(), null);
            }
        }
        Class<?> payloadClass = MessageTypes.classOf(type);
        if (payloadClass == null || !root.isAssignableFrom(payloadClass)) {
            throw new InvalidMessageException("unknown CloudEvent type '" + type + "' for "
                    + root.getSimpleName() + " (known: " + knownTypes() + ")", type, subject, List.of(), null);
        }
        JsonNode data = tree.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidMessageException("CloudEvent '" + type + "' has no data object", type, subject,
                    List.of(new Violation("data", "is required")), null);
        }
        T payload;
        try {
            payload = (T) MAPPER.treeToValue(data, payloadClass);
        } catch (JsonProcessingException e) {
            Violation v = violationOf(e);
            throw new InvalidMessageException("invalid '" + type + "' payload: " + v, type, subject, List.of(v), e);
        }
        try {
            return new CloudEvent<>(CloudEvent.SPEC_VERSION, text(tree, "id"), URI.create(text(tree, "source")),
                    type, subject, tree.hasNonNull("time") ? Instant.parse(text(tree, "time")) : null,
                    text(tree, "datacontenttype"), payload);
        } catch (RuntimeException e) {
            throw new InvalidMessageException("invalid CloudEvent attributes: " + e.getMessage(), type, subject,
                    List.of(), e);
        }
    }

    /**
     * Reads a payload alone (no envelope), as the REST API receives a request: every reason it cannot
     * be read (not JSON, not an object, a field of the wrong type, nesting too deep) is a violation
     * naming the field.
     *
     * @throws InvalidMessageException with the violation
     */
    public static <V> V readPayload(byte[] bytes, Class<V> type) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidMessageException("a body is required", null, null,
                    List.of(new Violation("", "a body is required")), null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String reason = "is not valid JSON: " + firstLine(e instanceof JsonProcessingException jpe
                    ? jpe.getOriginalMessage() : e.getMessage());
            throw new InvalidMessageException(reason, null, null, List.of(new Violation("", reason)), e);
        }
        if (tree == null || !tree.isObject()) {
            String reason = "must be a JSON object (was " + (tree == null ? "empty" : tree.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)) + ")";
            throw new InvalidMessageException(reason, null, null, List.of(new Violation("", reason)), null);
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            Violation v = violationOf(e);
            throw new InvalidMessageException("invalid " + type.getSimpleName() + ": " + v, null, null, List.of(v), e);
        } catch (RuntimeException e) {
            Violation v = new Violation("", "cannot be read: " + firstLine(e.getMessage()));
            throw new InvalidMessageException("invalid " + type.getSimpleName() + ": " + v, null, null, List.of(v), e);
        }
    }

    /** Writes a payload alone (no envelope), for state stores and logs. */
    public static byte[] writeValue(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a payload written by {@link #writeValue(Object)}. */
    public static <V> V readValue(byte[] bytes, Class<V> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The envelope as a JSON tree, for consumers that forward it (webhooks, audit). */
    public static ObjectNode toTree(CloudEvent<?> event) {
        return MAPPER.valueToTree(event);
    }

    private String knownTypes() {
        return MessageTypes.all().stream().filter(t -> root.isAssignableFrom(MessageTypes.classOf(t))).sorted()
                .toList().toString();
    }

    static Violation violationOf(JsonProcessingException e) {
        String field = "data";
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        String message;
        if (e instanceof InvalidTypeIdException ite) {
            Class<?> base = ite.getBaseType() == null ? null : ite.getBaseType().getRawClass();
            message = ite.getTypeId() == null ? "'type' is required" + knownSubtypes(base)
                    : "unknown type '" + ite.getTypeId() + "'" + knownSubtypes(base);
            if (field.endsWith(".type") || field.equals("type")) {
                field = field.substring(0, Math.max(0, field.length() - 5));
            }
            field = (field.isEmpty() ? "" : field + ".") + "type";
        } else {
            message = firstLine(e.getOriginalMessage());
        }
        return new Violation(field, message);
    }

    private static String knownSubtypes(Class<?> base) {
        if (base == null || base.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class) == null) {
            return "";
        }
        List<String> names = java.util.Arrays.stream(
                base.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
                .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name).sorted().toList();
        return "; known: " + String.join(", ", names);
    }

    private static String text(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
