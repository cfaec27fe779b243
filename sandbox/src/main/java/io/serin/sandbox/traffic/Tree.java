package io.serin.sandbox.traffic;

import java.util.List;
import java.util.Map;

/** Reading the untyped JSON trees of custom resources (Istio's): a missing or mistyped node reads as empty. */
final class Tree {

    private Tree() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String string(Object node) {
        return node instanceof String s ? s : null;
    }

    static Double number(Object node) {
        return node instanceof Number n ? n.doubleValue() : null;
    }

    static Map<String, Object> path(Object node, String... keys) {
        Object at = node;
        for (String key : keys) {
            at = map(at).get(key);
        }
        return map(at);
    }
}
