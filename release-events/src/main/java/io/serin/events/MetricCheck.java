package io.serin.events;

/**
 * One metric an analysis judges: what to measure on which variant, and how to judge it.
 *
 * @param name      display name, e.g. {@code error-rate}
 * @param variant   the variant measured (default canary)
 * @param measure   how samples become one value
 * @param judge     how that value becomes a verdict
 * @param minCount  fewer observations than this (for a ratio: denominator events) give INCONCLUSIVE
 * @param compareTo the variant that comparing judges (sequential, comparison, mannWhitney) measure
 *                  the same way and compare with: baseline where one is deployed, default stable
 */
public record MetricCheck(String name, Variant variant, Measure measure, Judge judge, Long minCount,
        Variant compareTo) {

    /** A check that compares with nothing beyond the default (threshold judges compare with nothing). */
    public MetricCheck(String name, Variant variant, Measure measure, Judge judge, Long minCount) {
        this(name, variant, measure, judge, minCount, null);
    }
}
