package io.serin.analyzer.messaging;

import io.serin.events.EventCodec;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** JSON serde for state-store values, using the contract's mapper. */
final class JsonSerde {

    private JsonSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : EventCodec.writeValue(value),
                (topic, bytes) -> bytes == null ? null : EventCodec.readValue(bytes, type));
    }
}
