package io.serin.analyzer.prometheus;

import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a round publishes: a sample per series of each group whose queries all gave a value, a
 * source problem per failed series, and nothing for the other series of a group with a failure
 * (withheld: see {@link QueryPlan}). Never a zero in place of a missing value.
 */
final class RoundMessages {

    record Outcome(List<SampleMessage> messages, List<SeriesRef> withheld) {
    }

    private RoundMessages() {
    }

    static Outcome of(Round round, Map<SeriesRef, String> queries, Map<SeriesRef, QueryResult> results) {
        List<SampleMessage> messages = new ArrayList<>();
        List<SeriesRef> withheld = new ArrayList<>();
        for (Set<SeriesRef> group : round.groups()) {
            boolean complete = group.stream().allMatch(s -> results.get(s) instanceof QueryResult.Value);
            for (SeriesRef s : group.stream().sorted(Comparator.comparing(SeriesRef::toString)).toList()) {
                QueryResult result = results.get(s);
                if (result instanceof QueryResult.Failed failed) {
                    messages.add(new SourceProblem(round.releaseId(), round.analysisId(), s.variant(), s.metric(),
                            round.time(), failed.reason(), failed.detail(), queries.get(s)));
                } else if (complete && result instanceof QueryResult.Value value) {
                    messages.add(new MetricSample(round.releaseId(), s.variant(), s.metric(), value.value(),
                            round.time(), value.buckets()));
                } else {
                    withheld.add(s);
                }
            }
        }
        return new Outcome(List.copyOf(messages), List.copyOf(withheld));
    }
}
