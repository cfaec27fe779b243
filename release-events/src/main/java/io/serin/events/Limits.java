package io.serin.events;

import java.time.Duration;

/**
 * Upper bounds on the durations, counts and sizes the contract's messages may carry, stated in
 * docs/schemas and enforced by every reader that acts on them. Each is far above what a real
 * release needs and far below where arithmetic on instants, timers or names breaks.
 */
public final class Limits {

    /** How long one step may take before the release fails it. */
    public static final Duration MAX_PROGRESS_DEADLINE = Duration.ofHours(24);
    /** A timed pause step (a pause without a duration waits for an operator instead). */
    public static final Duration MAX_PAUSE = Duration.ofDays(7);
    /** One analysis window. */
    public static final Duration MAX_ANALYSIS = Duration.ofHours(24);
    /** The warm-up an analysis leaves unjudged before its window ({@code initialDelay}). */
    public static final Duration MAX_INITIAL_DELAY = Duration.ofHours(24);
    /** How long one gate call may take. */
    public static final Duration MAX_GATE_TIMEOUT = Duration.ofMinutes(5);
    /** How long a gate that said "not yet" is waited for before it is asked again. */
    public static final Duration MAX_GATE_RETRY_INTERVAL = Duration.ofHours(1);
    /** Steps of one canary. */
    public static final int MAX_STEPS = 100;
    /** Metrics of one analysis. */
    public static final int MAX_METRICS = 20;
    /** Image references, URLs, names, queries and other free text. */
    public static final int MAX_TEXT = 2048;
    /** Values per series of a metric history: 6 hours of 5-second steps. */
    public static final int MAX_HISTORY_VALUES = 4_320;
    /** Series (metrics) in one metric history. */
    public static final int MAX_HISTORY_SERIES = 32;

    private Limits() {
    }
}
