package io.serin.analyzer.prometheus;

import io.serin.events.HistogramBucket;
import io.serin.events.SourceProblem;

import java.util.List;

/** What one query gave: a number to publish, or why there is none. */
sealed interface QueryResult permits QueryResult.Value, QueryResult.Failed {

    /**
     * One finite number; for a histogram ({@code sum by (le)}) its total, with the cumulative counts
     * per finite upper bound in {@code buckets} (null otherwise).
     */
    record Value(double value, List<HistogramBucket> buckets) implements QueryResult {
    }

    record Failed(SourceProblem.Reason reason, String detail) implements QueryResult {
    }
}
