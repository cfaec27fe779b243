package io.serin.notifier.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.events.EventCodec;
import io.serin.notifier.notify.HttpPayload;

import java.util.Map;

/** JSON building shared by the renderers. */
final class Json {

    static final String CONTENT_TYPE = "application/json";

    private Json() {
    }

    static ObjectNode object() {
        return EventCodec.mapper().createObjectNode();
    }

    static ArrayNode array() {
        return EventCodec.mapper().createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return EventCodec.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static HttpPayload payload(JsonNode node) {
        return new HttpPayload(CONTENT_TYPE, bytes(node), Map.of());
    }
}
