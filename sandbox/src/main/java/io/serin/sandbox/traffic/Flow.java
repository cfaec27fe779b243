package io.serin.sandbox.traffic;

/**
 * Requests per second one router sends to one backend. A mirrored flow is a copy: its responses
 * are discarded, but the pods that serve it count it in their own metrics.
 */
public record Flow(Backend backend, double rate, boolean mirrored) {

    public static Flow served(Backend backend, double rate) {
        return new Flow(backend, rate, false);
    }

    public static Flow mirror(Backend backend, double rate) {
        return new Flow(backend, rate, true);
    }
}
