package io.serin.analyzer.prometheus;

import io.serin.events.SourceProblem;

import java.util.List;

/** What one range query gave: a value or null per step, or why there is none. */
sealed interface RangeResult permits RangeResult.Steps, RangeResult.Failed {

    /** One entry per step, oldest first; null where the step had no finite, non-negative value. */
    record Steps(List<Double> values) implements RangeResult {
    }

    record Failed(SourceProblem.Reason reason, String detail) implements RangeResult {
    }
}
