package io.serin.analyzer.analysis;

import io.serin.events.Judge;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Verdict;

import java.util.Locale;

/**
 * Judges one value over the whole window against [min, max]. Too few observations (fewer than
 * {@code minCount}, or none at all) is INCONCLUSIVE with the counts, never a pass.
 */
final class ThresholdJudge {

    private ThresholdJudge() {
    }

    static MetricEvidence judge(MetricCheck check, Judge.Threshold threshold, Measured measured) {
        long minCount = check.minCount() == null ? 0 : check.minCount();
        Double value = measured.value();
        if (measured.count() == 0 || measured.count() < Math.max(1, minCount) || value == null) {
            String reason = String.format(Locale.ROOT, "%s: too little data (%s observations, need %d)", check.name(),
                    Judges.count(measured.count()), Math.max(1, minCount));
            return evidence(check, threshold, measured, Verdict.INCONCLUSIVE, reason);
        }
        if (threshold.max() != null && value > threshold.max()) {
            return evidence(check, threshold, measured, Verdict.FAILED, String.format(Locale.ROOT,
                    "%s %.4f > max %.4f (%s)", check.name(), value, threshold.max(), measured.describe()));
        }
        if (threshold.min() != null && value < threshold.min()) {
            return evidence(check, threshold, measured, Verdict.FAILED, String.format(Locale.ROOT,
                    "%s %.4f < min %.4f (%s)", check.name(), value, threshold.min(), measured.describe()));
        }
        return evidence(check, threshold, measured, Verdict.SUCCESSFUL, String.format(Locale.ROOT,
                "%s %.4f within bounds (%s)", check.name(), value, measured.describe()));
    }

    private static MetricEvidence evidence(MetricCheck check, Judge.Threshold t, Measured m, Verdict verdict,
            String reason) {
        return new MetricEvidence(check.name(), check.variant(), verdict, m.value(), t.min(), t.max(), m.numerator(),
                m.denominator(), m.samples(), reason);
    }
}
