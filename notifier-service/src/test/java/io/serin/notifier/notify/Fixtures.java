package io.serin.notifier.notify;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Values built from types alone, so a new event or step type needs no hand-written sample to be checked. */
final class Fixtures {

    private static final Instant NOW = Instant.parse("2025-05-01T10:15:30Z");

    private Fixtures() {
    }

    /**
     * A value of {@code type} with every component filled in, built from the type alone, so a new
     * event type needs no hand-written sample to be checked.
     */
    static Object sample(Class<?> type) {
        try {
            if (type == String.class) {
                return "x";
            } else if (type == int.class || type == Integer.class) {
                return 1;
            } else if (type == long.class || type == Long.class) {
                return 1L;
            } else if (type == double.class || type == Double.class) {
                return 0.5;
            } else if (type == boolean.class || type == Boolean.class) {
                return true;
            } else if (type == Instant.class) {
                return NOW;
            } else if (type == Duration.class) {
                return Duration.ofMinutes(1);
            } else if (type == List.class) {
                return List.of();
            } else if (type.isEnum()) {
                return type.getEnumConstants()[0];
            } else if (type.isSealed()) {
                return sample(type.getPermittedSubclasses()[0]);
            } else if (type.isRecord()) {
                RecordComponent[] components = type.getRecordComponents();
                Constructor<?> canonical = type.getDeclaredConstructor(
                        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
                return canonical.newInstance(Arrays.stream(components).map(c -> sample(c.getType())).toArray());
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + type.getName(), e);
        }
        throw new IllegalStateException("add a sample value for " + type.getName());
    }
}
