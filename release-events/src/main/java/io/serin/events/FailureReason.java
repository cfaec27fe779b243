package io.serin.events;

/** Why the executor could not apply a command. */
public enum FailureReason {
    /** The target or a route does not exist. */
    NOT_FOUND,
    /** The Kubernetes API refused the call (403). */
    FORBIDDEN,
    /** The command or the resulting object is invalid (422, bad spec, namespace not allowed). */
    INVALID,
    /** The workload did not become ready before the deadline. */
    NOT_READY,
    /** The API did not answer in time, or kept failing transiently until the deadline. */
    TIMEOUT,
    /** A webhook gate did not say go (non-2xx, no answer in time, unreachable); asked again later. */
    GATE_CLOSED,
    /** Anything else; the message says what. */
    INTERNAL
}
