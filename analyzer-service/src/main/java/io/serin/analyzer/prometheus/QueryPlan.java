package io.serin.analyzer.prometheus;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.SeriesLayout;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which series of an analysis the source queries, in groups that are published together or not at
 * all. A check reads the series of its measure (a ratio: numerator and denominator) on its variant
 * and, for comparing judges, on the compared variant, exactly as the analyzer folds them. Series
 * that any one check combines share a group: if one of them cannot be sampled in a round, the
 * others of the round are withheld too, so an errors query that fails never leaves a requests
 * sample behind that would read as a zero error rate.
 */
final class QueryPlan {

    private QueryPlan() {
    }

    /** The groups of series to query, only those with a template; empty when there is nothing to query. */
    static List<Set<SeriesRef>> groups(List<MetricCheck> checks, Set<String> templated) {
        List<Set<SeriesRef>> groups = new ArrayList<>();
        for (MetricCheck check : checks) {
            Set<SeriesRef> merged = new LinkedHashSet<>();
            for (SeriesRef s : series(check)) {
                if (templated.contains(s.metric())) {
                    merged.add(s);
                }
            }
            if (merged.isEmpty()) {
                continue;
            }
            for (var it = groups.iterator(); it.hasNext(); ) {
                Set<SeriesRef> group = it.next();
                if (group.stream().anyMatch(merged::contains)) {
                    merged.addAll(group);
                    it.remove();
                }
            }
            groups.add(merged);
        }
        return groups.stream().map(Set::copyOf).toList();
    }

    /** The series one check reads, with the analyzer's defaults for absent variants. */
    static Set<SeriesRef> series(MetricCheck given) {
        if (given.measure() == null) {
            return Set.of();
        }
        MetricCheck check = Analyses.withDefaults(given);
        List<Variant> variants = check.compareTo() == null ? List.of(check.variant())
                : List.of(check.variant(), check.compareTo());
        Set<SeriesRef> series = new LinkedHashSet<>();
        for (Variant variant : variants) {
            for (String metric : SeriesLayout.metricsOf(check.measure())) {
                series.add(new SeriesRef(variant, metric));
            }
        }
        return series;
    }
}
