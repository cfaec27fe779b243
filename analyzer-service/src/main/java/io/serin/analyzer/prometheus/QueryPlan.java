package io.serin.analyzer.prometheus;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.SeriesLayout;
import io.serin.events.Judge;
import io.serin.events.Limits;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    /**
     * The metrics whose history to send before an analysis, per compared variant: the numerator and
     * denominator of every sequential check on a ratio (the only checks that learn from a history),
     * on the variant it compares with (default stable), each metric once per variant, in the order
     * of the checks. Checks that assume independent requests ({@code robust: false}) learn nothing
     * from it and are left out, as are checks with a side without a template. At most
     * {@value Limits#MAX_HISTORY_SERIES} metrics per variant, whole checks only.
     */
    static Map<Variant, List<String>> history(List<MetricCheck> checks, Set<String> templated) {
        Map<Variant, Set<String>> history = new LinkedHashMap<>();
        for (MetricCheck given : checks) {
            if (given == null || !(given.judge() instanceof Judge.Sequential sequential)
                    || Boolean.FALSE.equals(sequential.robust())
                    || !(given.measure() instanceof Measure.Ratio ratio)
                    || !templated.contains(ratio.numerator()) || !templated.contains(ratio.denominator())) {
                continue;
            }
            MetricCheck check = Analyses.withDefaults(given);
            if (check.compareTo() == null || check.compareTo() == check.variant()) {
                continue;
            }
            Set<String> metrics = history.computeIfAbsent(check.compareTo(), v -> new LinkedHashSet<>());
            Set<String> more = new LinkedHashSet<>(metrics);
            more.add(ratio.numerator());
            more.add(ratio.denominator());
            if (more.size() <= Limits.MAX_HISTORY_SERIES) {
                metrics.addAll(more);
            }
        }
        Map<Variant, List<String>> plan = new LinkedHashMap<>();
        history.forEach((variant, metrics) -> {
            if (!metrics.isEmpty()) {
                plan.put(variant, List.copyOf(metrics));
            }
        });
        return plan;
    }
}
