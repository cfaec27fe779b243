package io.serin.analyzer.prometheus;

import io.serin.events.HistogramBucket;
import io.serin.events.MetricSample;
import io.serin.events.SourceProblem;
import io.serin.events.SourceProblem.Reason;
import io.serin.events.Variant;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoundMessagesTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:30Z");
    private static final SeriesRef ERRORS = new SeriesRef(Variant.CANARY, "errors");
    private static final SeriesRef REQUESTS = new SeriesRef(Variant.CANARY, "requests");
    private static final SeriesRef LATENCY = new SeriesRef(Variant.STABLE, "latency");
    private static final Round ROUND = new Round("rel-1", "a1", new WorkloadRef("Deployment", "ns", "w"), T,
            Duration.ofSeconds(30), List.of(Set.of(ERRORS, REQUESTS), Set.of(LATENCY)));
    private static final Map<SeriesRef, String> QUERIES = Map.of(ERRORS, "q-errors", REQUESTS, "q-requests", LATENCY,
            "q-latency");
    private static final List<HistogramBucket> BUCKETS = List.of(new HistogramBucket(0.1, 3));

    @Test
    void publishesEveryValueAsASampleStampedWithTheWindowEnd() {
        RoundMessages.Outcome outcome = RoundMessages.of(ROUND, QUERIES, Map.of(ERRORS, new QueryResult.Value(2, null),
                REQUESTS, new QueryResult.Value(0, null), LATENCY, new QueryResult.Value(5, BUCKETS)));

        assertThat(outcome.messages()).containsExactlyInAnyOrder(
                new MetricSample("rel-1", Variant.CANARY, "errors", 2, T),
                new MetricSample("rel-1", Variant.CANARY, "requests", 0, T),
                new MetricSample("rel-1", Variant.STABLE, "latency", 5, T, BUCKETS));
        assertThat(outcome.withheld()).isEmpty();
    }

    @Test
    void aFailedSeriesIsAProblemAndWithholdsTheSeriesCheckedWithItButNoOthers() {
        RoundMessages.Outcome outcome = RoundMessages.of(ROUND, QUERIES, Map.of(
                ERRORS, new QueryResult.Failed(Reason.NO_DATA, "no series matched (empty vector)"),
                REQUESTS, new QueryResult.Value(120, null), LATENCY, new QueryResult.Value(5, BUCKETS)));

        assertThat(outcome.messages()).containsExactlyInAnyOrder(
                new SourceProblem("rel-1", "a1", Variant.CANARY, "errors", T, Reason.NO_DATA,
                        "no series matched (empty vector)", "q-errors"),
                new MetricSample("rel-1", Variant.STABLE, "latency", 5, T, BUCKETS));
        assertThat(outcome.withheld()).containsExactly(REQUESTS);
    }

    @Test
    void everyFailedSeriesOfAGroupIsReported() {
        RoundMessages.Outcome outcome = RoundMessages.of(ROUND, QUERIES, Map.of(
                ERRORS, new QueryResult.Failed(Reason.TIMEOUT, "slow"),
                REQUESTS, new QueryResult.Failed(Reason.UNAVAILABLE, "down"),
                LATENCY, new QueryResult.Failed(Reason.INVALID_RESULT, "NaN")));

        assertThat(outcome.messages()).hasSize(3).allSatisfy(m -> assertThat(m).isInstanceOf(SourceProblem.class));
        assertThat(outcome.withheld()).isEmpty();
    }
}
