package io.serin.planner.plan;

import io.serin.events.Limits;
import io.serin.events.Violation;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The contract's {@link Limits} as the request validator applies them: every duration, count and
 * size a release request may carry is bounded, so that a valid request can always be planned.
 */
public final class Bounds {

    private Bounds() {
    }

    /** Absent, or positive and at most {@code max}. */
    static void duration(Duration d, Duration max, String field, List<Violation> v) {
        if (d != null && (d.isNegative() || d.isZero() || d.compareTo(max) > 0)) {
            v.add(new Violation(field, "must be positive and at most " + max + " (was " + d + ")"));
        }
    }

    /** Absent, or zero or positive and at most {@code max}: a delay, where none is a valid choice. */
    static void delay(Duration d, Duration max, String field, List<Violation> v) {
        if (d != null && (d.isNegative() || d.compareTo(max) > 0)) {
            v.add(new Violation(field, "must not be negative and at most " + max + " (was " + d + ")"));
        }
    }

    static void count(Collection<?> items, int max, String field, List<Violation> v) {
        if (items != null && items.size() > max) {
            v.add(new Violation(field, "must list at most " + max + " entries (was " + items.size() + ")"));
        }
    }

    static void text(String value, String field, List<Violation> v) {
        if (value != null && value.length() > Limits.MAX_TEXT) {
            v.add(new Violation(field, "must be at most " + Limits.MAX_TEXT + " characters (was " + value.length() + ")"));
        }
    }

    static void finite(Double value, String field, List<Violation> v) {
        if (value != null && (value.isNaN() || value.isInfinite())) {
            v.add(new Violation(field, "must be a finite number (was " + value + ")"));
        }
    }
}
