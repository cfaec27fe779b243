package io.serin.analyzer.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads what {@link BinaryWriter} wrote, in the same order. */
final class BinaryReader {

    private final ByteBuffer buffer;

    BinaryReader(byte[] bytes) {
        buffer = ByteBuffer.wrap(bytes);
    }

    byte[] bytes() {
        int length = integer();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    /** The leading version byte, checked against the one this code writes. */
    void version(byte expected, String what) {
        version(what, expected, expected);
    }

    /** The leading version byte, checked to be one this code reads ({@code oldest} to {@code newest}). */
    byte version(String what, byte oldest, byte newest) {
        byte version = buffer.hasRemaining() ? buffer.get() : 0;
        if (version < oldest || version > newest) {
            throw new IllegalStateException("unknown " + what + " version " + version + ", expected "
                    + (oldest == newest ? String.valueOf(newest) : oldest + " to " + newest));
        }
        return version;
    }

    boolean flag() {
        return buffer.get() != 0;
    }

    int integer() {
        return buffer.getInt();
    }

    long longNumber() {
        return buffer.getLong();
    }

    double number() {
        return buffer.getDouble();
    }

    String string() {
        byte[] bytes = bytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    Double nullableDouble() {
        return flag() ? number() : null;
    }

    Long nullableLong() {
        return flag() ? longNumber() : null;
    }

    Boolean nullableBoolean() {
        return flag() ? flag() : null;
    }

    <E extends Enum<E>> E nullable(Class<E> type) {
        String name = string();
        return name == null ? null : Enum.valueOf(type, name);
    }

    Instant instant() {
        return Instant.ofEpochSecond(longNumber(), integer());
    }

    double[] doubles() {
        double[] values = new double[integer()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        return values;
    }

    List<Double> doubleList() {
        int n = integer();
        List<Double> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(buffer.getDouble());
        }
        return List.copyOf(values);
    }

    long[] longs() {
        long[] values = new long[integer()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getLong();
        }
        return values;
    }

    boolean atEnd() {
        return !buffer.hasRemaining();
    }
}
