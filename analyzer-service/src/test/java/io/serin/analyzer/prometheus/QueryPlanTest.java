package io.serin.analyzer.prometheus;

import io.serin.events.Direction;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class QueryPlanTest {

    private static final Set<String> ALL = Set.of("errors", "requests", "latency", "cpu");
    private static final Measure RATIO = new Measure.Ratio("errors", "requests");

    private static SeriesRef canary(String metric) {
        return new SeriesRef(Variant.CANARY, metric);
    }

    private static SeriesRef stable(String metric) {
        return new SeriesRef(Variant.STABLE, metric);
    }

    private static SeriesRef baseline(String metric) {
        return new SeriesRef(Variant.BASELINE, metric);
    }

    @Test
    void aThresholdOnARatioNeedsNumeratorAndDenominatorOfTheCanaryOnly() {
        MetricCheck check = new MetricCheck("error-rate", null, RATIO, new Judge.Threshold(null, 0.05), 100L);

        assertThat(QueryPlan.groups(List.of(check), ALL)).containsExactly(Set.of(canary("errors"), canary("requests")));
    }

    @Test
    void comparingJudgesNeedTheComparedVariantTooStableByDefault() {
        MetricCheck comparison = new MetricCheck("error-rate", Variant.CANARY, RATIO,
                new Judge.Comparison(Direction.INCREASE, 0.1, false), null);
        MetricCheck sequential = new MetricCheck("p99", Variant.CANARY, new Measure.Latency("latency", 0.99),
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        MetricCheck mannWhitney = new MetricCheck("cpu", Variant.CANARY, new Measure.Mean("cpu"),
                new Judge.MannWhitney(null, null), null, Variant.BASELINE);

        assertThat(QueryPlan.series(comparison)).containsExactlyInAnyOrder(canary("errors"), canary("requests"),
                stable("errors"), stable("requests"));
        assertThat(QueryPlan.series(sequential)).containsExactlyInAnyOrder(canary("latency"), baseline("latency"));
        assertThat(QueryPlan.series(mannWhitney)).containsExactlyInAnyOrder(canary("cpu"), baseline("cpu"));
    }

    @Test
    void checksSharingASeriesShareAGroupAndIndependentChecksDoNot() {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, RATIO, new Judge.Threshold(null, 0.05),
                null);
        MetricCheck traffic = new MetricCheck("traffic", Variant.CANARY, new Measure.Mean("requests"),
                new Judge.Threshold(1.0, null), null);
        MetricCheck cpu = new MetricCheck("cpu", Variant.STABLE, new Measure.Mean("cpu"),
                new Judge.Threshold(null, 0.9), null);
        MetricCheck latency = new MetricCheck("p99", Variant.CANARY, new Measure.Latency("latency", null),
                new Judge.Comparison(null, null, null), null);

        List<Set<SeriesRef>> groups = QueryPlan.groups(List.of(cpu, errorRate, latency, traffic), ALL);

        assertThat(groups).containsExactlyInAnyOrder(Set.of(stable("cpu")),
                Set.of(canary("errors"), canary("requests")), Set.of(canary("latency"), stable("latency")));
    }

    @Test
    void aCheckBridgingTwoGroupsMergesThem() {
        MetricCheck a = new MetricCheck("a", Variant.CANARY, new Measure.Mean("cpu"), new Judge.Threshold(null, 1.0),
                null);
        MetricCheck b = new MetricCheck("b", Variant.CANARY, new Measure.Mean("latency"),
                new Judge.Threshold(null, 1.0), null);
        MetricCheck bridge = new MetricCheck("bridge", Variant.CANARY, new Measure.Ratio("cpu", "latency"),
                new Judge.Threshold(null, 1.0), null);

        assertThat(QueryPlan.groups(List.of(a, b, bridge), ALL)).containsExactly(Set.of(canary("cpu"),
                canary("latency")));
    }

    @Test
    void queriesOnlyMetricsWithATemplateAndNothingForChecksWithoutOne() {
        MetricCheck errorRate = new MetricCheck("error-rate", Variant.CANARY, RATIO, new Judge.Threshold(null, 0.05),
                null);
        MetricCheck pushed = new MetricCheck("p99", Variant.CANARY, new Measure.Latency("latency", null),
                new Judge.Threshold(null, 0.5), null);

        assertThat(QueryPlan.groups(List.of(errorRate, pushed), Set.of("errors")))
                .containsExactly(Set.of(canary("errors")));
        assertThat(QueryPlan.groups(List.of(pushed), Set.of("errors"))).isEmpty();
        assertThat(QueryPlan.groups(List.of(new MetricCheck("broken", null, null, null, null)), ALL)).isEmpty();
        assertThat(QueryPlan.groups(List.of(new MetricCheck("half", null, new Measure.Ratio(null, "requests"),
                new Judge.Threshold(null, 1.0), null)), ALL)).containsExactly(Set.of(canary("requests")));
    }

    /** Adding a measure or judge type fails here until the plan knows which series it reads. */
    @Test
    void everyMeasureUnderEveryJudgeReadsTheSeriesOfItsVariantAndOfTheComparedOneWhenItCompares() {
        Map<Class<?>, Measure> measures = Map.of(Measure.Ratio.class, RATIO, Measure.Mean.class,
                new Measure.Mean("cpu"), Measure.Latency.class, new Measure.Latency("latency", null));
        Map<Class<?>, Judge> judges = Map.of(Judge.Threshold.class, new Judge.Threshold(null, 1.0),
                Judge.Sequential.class, new Judge.Sequential(null, null, null), Judge.Comparison.class,
                new Judge.Comparison(null, null, null), Judge.MannWhitney.class, new Judge.MannWhitney(null, null));
        assertThat(measures.keySet()).containsExactlyInAnyOrder(Measure.class.getPermittedSubclasses());
        assertThat(judges.keySet()).containsExactlyInAnyOrder(Judge.class.getPermittedSubclasses());
        for (Measure measure : measures.values()) {
            for (Judge judge : judges.values()) {
                Set<SeriesRef> series = QueryPlan.series(new MetricCheck("m", Variant.CANARY, measure, judge, null));
                List<Variant> variants = judge instanceof Judge.Threshold ? List.of(Variant.CANARY)
                        : List.of(Variant.CANARY, Variant.STABLE);
                int metrics = measure instanceof Measure.Ratio ? 2 : 1;
                assertThat(series).as(measure + " " + judge).hasSize(variants.size() * metrics)
                        .allSatisfy(s -> assertThat(variants).contains(s.variant()));
            }
        }
    }

    @Test
    void historyIsOfTheComparedVariantOfSequentialRatioChecksEachMetricOnce() {
        MetricCheck errorRate = new MetricCheck("error-rate", null, RATIO, new Judge.Sequential(null, null, null), null);
        MetricCheck timeouts = new MetricCheck("timeouts", Variant.CANARY, new Measure.Ratio("timeouts", "requests"),
                new Judge.Sequential(null, null, null, null, true), null);
        MetricCheck againstBaseline = new MetricCheck("vs-baseline", Variant.CANARY, RATIO,
                new Judge.Sequential(null, null, null), null, Variant.BASELINE);
        Set<String> templated = Set.of("errors", "requests", "timeouts");

        assertThat(QueryPlan.history(List.of(errorRate, timeouts, againstBaseline), templated)).containsExactly(
                Map.entry(Variant.STABLE, List.of("errors", "requests", "timeouts")),
                Map.entry(Variant.BASELINE, List.of("errors", "requests")));
    }

    @Test
    void noHistoryForChecksThatDoNotLearnFromOneOrWhoseMetricsHaveNoTemplate() {
        List<MetricCheck> checks = List.of(
                new MetricCheck("threshold", null, RATIO, new Judge.Threshold(null, 0.05), null),
                new MetricCheck("comparison", null, RATIO, new Judge.Comparison(null, null, null), null),
                new MetricCheck("mann-whitney", null, RATIO, new Judge.MannWhitney(null, null), null),
                new MetricCheck("latency", null, new Measure.Latency("latency", null),
                        new Judge.Sequential(null, null, null), null),
                new MetricCheck("independent", null, RATIO, new Judge.Sequential(null, null, null, null, false), null),
                new MetricCheck("pushed", null, new Measure.Ratio("pushed", "requests"),
                        new Judge.Sequential(null, null, null), null),
                new MetricCheck("itself", Variant.STABLE, RATIO, new Judge.Sequential(null, null, null), null,
                        Variant.STABLE));

        assertThat(QueryPlan.history(checks, ALL)).isEmpty();
    }

    @Test
    void aHistoryHoldsAtMost32SeriesWholeChecksOnly() {
        List<MetricCheck> checks = new ArrayList<>();
        Set<String> templated = new HashSet<>();
        for (int i = 0; i < 17; i++) {
            checks.add(new MetricCheck("c" + i, null, new Measure.Ratio("e" + i, "r" + i),
                    new Judge.Sequential(null, null, null), null));
            templated.addAll(List.of("e" + i, "r" + i));
        }
        checks.add(new MetricCheck("shared", null, new Measure.Ratio("e0", "r1"), new Judge.Sequential(null, null,
                null), null));

        List<String> metrics = QueryPlan.history(checks, templated).get(Variant.STABLE);

        assertThat(metrics).hasSize(32).doesNotContain("e16", "r16").contains("e0", "r1", "e15", "r15");
    }
}
