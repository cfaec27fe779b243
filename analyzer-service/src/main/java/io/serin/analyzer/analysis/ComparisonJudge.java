package io.serin.analyzer.analysis;

import io.serin.events.Direction;
import io.serin.events.Judge;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Verdict;

import java.util.Locale;

/** The variant's value over the window against the compared variant's, as a relative change. */
final class ComparisonJudge {

    private ComparisonJudge() {
    }

    static MetricEvidence judge(MetricCheck check, Judge.Comparison judge, AnalysisState state) {
        Measured c = Measured.of(check, check.variant(), state);
        Measured b = Measured.of(check, check.compareTo(), state);
        Direction direction = judge.direction() == null ? Direction.INCREASE : judge.direction();
        double allowed = judge.allowedChange() == null ? 0 : judge.allowedChange();
        long need = Math.max(1, check.minCount() == null ? 0 : check.minCount());
        if (c.value() == null || b.value() == null || c.count() < need || b.count() < need) {
            return evidence(check, c, b, null, allowed, Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%s: too little data (%s %s, %s %s observations, need %d each)", check.name(),
                    check.variant().label(), Judges.count(c.count()), check.compareTo().label(),
                    Judges.count(b.count()), need));
        }
        double cv = c.value();
        double bv = b.value();
        // Not one conditional expression: its double branch would unbox the null of "changed from 0".
        Double change = null;
        if (bv != 0) {
            change = (cv - bv) / Math.abs(bv);
        } else if (cv == 0) {
            change = 0.0;
        }
        boolean up = change == null ? cv > bv : change > allowed;
        boolean down = change == null ? cv < bv : change < -allowed;
        boolean bad = switch (direction) {
            case INCREASE -> up;
            case DECREASE -> down;
            case EITHER -> up || down;
        };
        String changed = change == null ? "from 0" : String.format(Locale.ROOT, "%+.1f%%", 100 * change);
        String reason = String.format(Locale.ROOT, "%s: %s %.4f vs %s %.4f (%s, allowed %s %.1f%%)", check.name(),
                check.variant().label(), cv, check.compareTo().label(), bv, changed,
                direction.name().toLowerCase(Locale.ROOT), 100 * allowed);
        return evidence(check, c, b, change, allowed, bad ? Verdict.FAILED : Verdict.SUCCESSFUL, reason);
    }

    private static MetricEvidence evidence(MetricCheck check, Measured c, Measured b, Double change, double allowed,
            Verdict verdict, String reason) {
        return new MetricEvidence(check.name(), check.variant(), verdict, c.value(), null, null, c.numerator(),
                c.denominator(), c.samples(), reason, check.compareTo(), b.value(), b.numerator(), b.denominator(),
                change, null, allowed);
    }
}
