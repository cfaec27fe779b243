package io.serin.events;

/**
 * Why one metric got its verdict, in numbers a human in chat can check.
 *
 * @param value       the measured value, null when there was nothing to measure
 * @param numerator   for a ratio: the numerator sum
 * @param denominator for a ratio: the denominator sum (the observation count)
 * @param samples     how many samples contributed
 */
public record MetricEvidence(String name, Variant variant, Verdict verdict, Double value, Double min, Double max,
        Double numerator, Double denominator, long samples, String reason) {
}
