package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of CloudEvent types: each topic's sealed root lists its messages, with their
 * versioned type names, in {@link JsonSubTypes}. A test checks those lists match the permitted
 * subclasses, so a message cannot be added without a published type name.
 */
public final class MessageTypes {

    /** The root type of every topic's messages. */
    public static final List<Class<?>> ROOTS = List.of(ReleaseRequestMessage.class, ExecutorCommand.class,
            ExecutorResult.class, AnalysisCommand.class, SampleMessage.class, VerdictMessage.class,
            ReleaseEvent.class);

    private static final Map<String, Class<?>> BY_TYPE = new HashMap<>();
    private static final Map<Class<?>, String> BY_CLASS = new HashMap<>();
    private static final Map<String, Class<?>> ROOT_OF_TYPE = new HashMap<>();

    static {
        for (Class<?> root : ROOTS) {
            for (JsonSubTypes.Type t : root.getAnnotation(JsonSubTypes.class).value()) {
                if (BY_TYPE.put(t.name(), t.value()) != null) {
                    throw new IllegalStateException("duplicate CloudEvent type " + t.name());
                }
                BY_CLASS.put(t.value(), t.name());
                ROOT_OF_TYPE.put(t.name(), root);
            }
        }
    }

    private MessageTypes() {
    }

    /** The CloudEvent type of a message class. */
    public static String typeOf(Class<?> messageClass) {
        String type = BY_CLASS.get(messageClass);
        if (type == null) {
            throw new IllegalArgumentException(messageClass.getName() + " is not a registered Serin message");
        }
        return type;
    }

    /** The message class of a CloudEvent type, or null if unknown. */
    public static Class<?> classOf(String type) {
        return BY_TYPE.get(type);
    }

    /** The topic root a CloudEvent type belongs to, or null if unknown. */
    public static Class<?> rootOf(String type) {
        return ROOT_OF_TYPE.get(type);
    }

    /** Every registered CloudEvent type. */
    public static java.util.Set<String> all() {
        return java.util.Collections.unmodifiableSet(BY_TYPE.keySet());
    }
}
