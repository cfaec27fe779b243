package io.serin.sandbox.traffic;

import java.util.Map;

/**
 * Where a router sends requests: a Service, narrowed to the pods that also carry {@code subset}'s
 * labels (an Istio DestinationRule subset; empty for a plain Service).
 */
public record Backend(String namespace, String service, Map<String, String> subset) {

    public Backend {
        subset = subset == null ? Map.of() : Map.copyOf(subset);
    }

    public static Backend service(String namespace, String service) {
        return new Backend(namespace, service, Map.of());
    }
}
