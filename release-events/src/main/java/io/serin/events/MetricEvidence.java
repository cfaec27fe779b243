package io.serin.events;

/**
 * Why one metric got its verdict, in numbers a human in chat can check.
 *
 * @param value              the measured value, null when there was nothing to measure
 * @param numerator          for a ratio: the numerator sum; for a sequential judge: the events counted
 *                           (errors, or observations above the compared variant's quantile)
 * @param denominator        for a ratio: the denominator sum (the observation count)
 * @param samples            how many samples contributed
 * @param compareTo          the variant compared with, for comparing judges
 * @param compareValue       the compared variant's value, measured the same way
 * @param compareNumerator   the compared variant's numerator (or events counted)
 * @param compareDenominator the compared variant's denominator (or observation count)
 * @param statistic          the judge's statistic: the e-value of "worse" for a sequential judge,
 *                           the relative change for a comparison, the standardized U for Mann-Whitney
 * @param pValue             p-value of "not worse": always valid for a sequential judge
 * @param margin             the allowed relative change judged against
 */
public record MetricEvidence(String name, Variant variant, Verdict verdict, Double value, Double min, Double max,
        Double numerator, Double denominator, long samples, String reason, Variant compareTo, Double compareValue,
        Double compareNumerator, Double compareDenominator, Double statistic, Double pValue, Double margin) {

    /** Evidence of a judge that compares with no other variant. */
    public MetricEvidence(String name, Variant variant, Verdict verdict, Double value, Double min, Double max,
            Double numerator, Double denominator, long samples, String reason) {
        this(name, variant, verdict, value, min, max, numerator, denominator, samples, reason, null, null, null, null,
                null, null, null);
    }
}
