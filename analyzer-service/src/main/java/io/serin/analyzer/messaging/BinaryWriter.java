package io.serin.analyzer.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** A growable big-endian buffer for the state serdes; nullable values carry a presence byte. */
final class BinaryWriter {

    private ByteBuffer buffer;

    BinaryWriter(int capacity) {
        buffer = ByteBuffer.allocate(capacity);
    }

    byte[] toBytes() {
        byte[] bytes = new byte[buffer.position()];
        System.arraycopy(buffer.array(), 0, bytes, 0, bytes.length);
        return bytes;
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
            bigger.put(buffer.array(), 0, buffer.position());
            buffer = bigger;
        }
    }

    BinaryWriter bytes(byte[] value) {
        if (value == null) {
            return integer(-1);
        }
        integer(value.length);
        ensure(value.length);
        buffer.put(value);
        return this;
    }

    BinaryWriter version(byte value) {
        ensure(1);
        buffer.put(value);
        return this;
    }

    BinaryWriter flag(boolean value) {
        ensure(1);
        buffer.put((byte) (value ? 1 : 0));
        return this;
    }

    BinaryWriter integer(int value) {
        ensure(4);
        buffer.putInt(value);
        return this;
    }

    BinaryWriter number(long value) {
        ensure(8);
        buffer.putLong(value);
        return this;
    }

    BinaryWriter number(double value) {
        ensure(8);
        buffer.putDouble(value);
        return this;
    }

    BinaryWriter string(String value) {
        return bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    BinaryWriter nullable(Double value) {
        flag(value != null);
        return value == null ? this : number(value);
    }

    BinaryWriter nullable(Long value) {
        flag(value != null);
        return value == null ? this : number(value);
    }

    BinaryWriter nullable(Boolean value) {
        flag(value != null);
        return value == null ? this : flag(value);
    }

    BinaryWriter nullable(Enum<?> value) {
        return string(value == null ? null : value.name());
    }

    BinaryWriter instant(Instant value) {
        return number(value.getEpochSecond()).integer(value.getNano());
    }

    BinaryWriter doubles(double[] values) {
        integer(values.length);
        ensure(8 * values.length);
        for (double v : values) {
            buffer.putDouble(v);
        }
        return this;
    }

    BinaryWriter doubles(List<Double> values) {
        integer(values.size());
        ensure(8 * values.size());
        for (Double v : values) {
            buffer.putDouble(v);
        }
        return this;
    }

    BinaryWriter longs(long[] values) {
        integer(values.length);
        ensure(8 * values.length);
        for (long v : values) {
            buffer.putLong(v);
        }
        return this;
    }
}
