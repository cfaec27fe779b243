package io.serin.planner.messaging;

import io.serin.events.EventCodec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde for state-store values, using the contract's mapper. */
final class JsonSerde {

    private JsonSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : EventCodec.writeValue(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : EventCodec.readValue(bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
