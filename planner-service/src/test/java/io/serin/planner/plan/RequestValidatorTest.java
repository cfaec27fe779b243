package io.serin.planner.plan;

import io.serin.events.CanaryStep;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.VersionSpec;
import io.serin.events.Violation;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(new io.serin.events.policy.NamespacePolicy(Set.of("payments"), Set.of()), Requests.ANY_IMAGE);

    private List<String> fields(ReleaseRequested request) {
        return validator.validate(request, request.releaseId()).stream().map(Violation::field).toList();
    }

    @Test
    void acceptsTheReferenceCanary() {
        assertThat(validator.validate(Requests.canary("rel-1"), "rel-1")).isEmpty();
    }

    @Test
    void namesAMissingTargetVersionAndStrategy() {
        assertThat(fields(new ReleaseRequested("rel-1", null, null, null, null)))
                .containsExactly("target", "to", "strategy");
    }

    @Test
    void rejectsNamespacesOutsideTheAllowListAndSystemNamespacesAlways() {
        ReleaseRequested r = new ReleaseRequested("rel-1", new WorkloadRef("Deployment", "billing", "api"),
                Requests.V2, Requests.canary("x").strategy(), null);
        assertThat(validator.validate(r, null)).singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("target.namespace", "billing", "not among"));
        RequestValidator everything = new RequestValidator(new io.serin.events.policy.NamespacePolicy(
                Set.of("*", "kube-system"), Set.of()), Requests.ANY_IMAGE);
        ReleaseRequested system = new ReleaseRequested("rel-1", new WorkloadRef("Deployment", "kube-system", "coredns"),
                Requests.V2, Requests.canary("x").strategy(), null);
        assertThat(everything.validate(system, null)).singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("target.namespace", "system namespace"));
    }

    @Test
    void failsClosedWhenNoNamespaceOrRegistryIsConfigured() {
        RequestValidator unconfigured = new RequestValidator(new io.serin.events.policy.NamespacePolicy(Set.of(),
                Set.of()), new io.serin.events.policy.ImagePolicy(List.of(), false));
        assertThat(unconfigured.validate(Requests.canary("rel-1"), null)).extracting(Violation::field)
                .containsExactly("target.namespace", "to.image");
    }

    @Test
    void appliesTheImagePolicy() {
        RequestValidator pinned = new RequestValidator(new io.serin.events.policy.NamespacePolicy(Set.of("payments"),
                Set.of()), new io.serin.events.policy.ImagePolicy(List.of("registry.example.com/payments"), true));
        assertThat(pinned.validate(Requests.canary("rel-1"), null)).singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("to.image", "digest"));
        ReleaseRequested elsewhere = new ReleaseRequested("rel-1", Requests.TARGET,
                new io.serin.events.VersionSpec("docker.io/evil/miner@sha256:" + "a".repeat(64), null),
                Requests.canary("x").strategy(), null);
        assertThat(pinned.validate(elsewhere, null)).singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("to.image", "not from an allowed registry"));
    }

    @Test
    void rejectsWeightsOutOfRangeOrNotIncreasing() {
        ReleaseRequested r = Requests.canary("rel-1", List.of(new CanaryStep.SetWeight(0), new CanaryStep.SetWeight(50),
                new CanaryStep.SetWeight(40), new CanaryStep.SetWeight(100), new CanaryStep.SetWeight(null)));
        assertThat(fields(r)).containsExactly("strategy.steps[0].weight", "strategy.steps[2].weight",
                "strategy.steps[3].weight", "strategy.steps[4].weight");
    }

    @Test
    void rejectsNegativeDurationsAndIncompleteMetrics() {
        ReleaseRequested r = Requests.canary("rel-1", List.of(
                new CanaryStep.Analysis(Duration.ofSeconds(-5), List.of(
                        new MetricCheck(null, null, new Measure.Ratio("errors", null), new Judge.Threshold(null, null),
                                -1L))),
                new CanaryStep.Analysis(null, List.of())));
        assertThat(fields(r)).containsExactly("strategy.steps[0].duration", "strategy.steps[0].metrics[0].name",
                "strategy.steps[0].metrics[0].measure.denominator", "strategy.steps[0].metrics[0].judge",
                "strategy.steps[0].metrics[0].minCount", "strategy.steps[1].duration", "strategy.steps[1].metrics");
    }

    @Test
    void boundsTheInitialDelayOfEveryKindOfAnalysis() {
        List<MetricCheck> metrics = Requests.analysis(0.05).metrics();
        Duration tooLong = io.serin.events.Limits.MAX_INITIAL_DELAY.plusSeconds(1);
        ReleaseRequested canary = Requests.request("rel-1", new Strategy.Canary(Requests.ISTIO, List.of(
                new CanaryStep.SetWeight(10),
                new CanaryStep.Analysis(Duration.ofMinutes(5), metrics, null, null, Duration.ofSeconds(-1)),
                new CanaryStep.Analysis(Duration.ofMinutes(5), metrics, null, null, tooLong)), null, null, null,
                new io.serin.events.BackgroundAnalysis(0, Duration.ofMinutes(5), metrics, Duration.ofMinutes(-2)),
                null));
        List<Violation> violations = validator.validate(canary, "rel-1");
        assertThat(violations).extracting(Violation::field).containsExactly("strategy.steps[1].initialDelay",
                "strategy.steps[2].initialDelay", "strategy.backgroundAnalysis.initialDelay");
        assertThat(violations.get(0).message()).isEqualTo("must not be negative and at most PT24H (was PT-1S)");
        assertThat(violations.get(1).message()).contains("at most PT24H", "was " + tooLong);
        assertThat(violations.get(2).message()).contains("must not be negative", "PT-2M");

        ReleaseRequested blueGreen = Requests.request("rel-1", new Strategy.BlueGreen(null, null,
                new io.serin.events.AnalysisSpec(Duration.ofMinutes(5), metrics, null, null, Duration.ofMinutes(-1)),
                null, null, null, null, null, null, null));
        assertThat(fields(blueGreen)).containsExactly("strategy.prePromotionAnalysis.initialDelay");
    }

    @Test
    void acceptsNoZeroAndTheLargestInitialDelay() {
        List<MetricCheck> metrics = Requests.analysis(0.05).metrics();
        ReleaseRequested r = Requests.request("rel-1", new Strategy.Canary(Requests.ISTIO, List.of(
                new CanaryStep.SetWeight(10),
                new CanaryStep.Analysis(Duration.ofMinutes(5), metrics, null, null, null),
                new CanaryStep.Analysis(Duration.ofMinutes(5), metrics, null, null, Duration.ZERO),
                new CanaryStep.Analysis(Duration.ofMinutes(5), metrics, null, null,
                        io.serin.events.Limits.MAX_INITIAL_DELAY)), null, null, null,
                new io.serin.events.BackgroundAnalysis(0, Duration.ofMinutes(5), metrics, Duration.ofMinutes(1)),
                null));
        assertThat(validator.validate(r, "rel-1")).isEmpty();
        ReleaseRequested rolling = Requests.request("rel-1", new Strategy.Rolling(null, null,
                new io.serin.events.AnalysisSpec(Duration.ofMinutes(5), metrics, null, null, Duration.ofMinutes(1)),
                null, null, null));
        assertThat(validator.validate(rolling, "rel-1")).isEmpty();
    }

    @Test
    void rejectsIdsThatCannotBeLabelsAndIdsThatDifferFromTheKey() {
        assertThat(fields(Requests.canary("has spaces"))).containsExactly("releaseId");
        assertThat(validator.validate(Requests.canary("rel-1"), "rel-2")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("record key"));
    }

    @Test
    void rejectsOtherKindsAndEmptySteps() {
        ReleaseRequested r = new ReleaseRequested("rel-1", new WorkloadRef("StatefulSet", "payments", "db"),
                new VersionSpec(" ", null), new Strategy.Canary(null, List.of()), null);
        assertThat(fields(r)).containsExactly("target.kind", "to.image", "strategy.steps");
    }

    /** A request naming any judge, measure or routing type the contract knows is answered, never a crash. */
    @Test
    void answersForEveryJudgeMeasureAndRoutingType() throws Exception {
        for (Class<?> judge : Judge.class.getPermittedSubclasses()) {
            for (Class<?> measure : Measure.class.getPermittedSubclasses()) {
                MetricCheck check = new MetricCheck("m", null, (Measure) empty(measure), (Judge) empty(judge), null);
                ReleaseRequested r = Requests.canary("rel-1", List.of(new CanaryStep.Analysis(Duration.ofSeconds(5),
                        List.of(check))));
                org.assertj.core.api.Assertions.assertThatCode(() -> validator.validate(r, null))
                        .as("%s × %s", judge.getSimpleName(), measure.getSimpleName()).doesNotThrowAnyException();
            }
        }
        for (Class<?> routing : io.serin.events.TrafficRouting.class.getPermittedSubclasses()) {
            ReleaseRequested r = new ReleaseRequested("rel-1", Requests.TARGET, Requests.V2, new Strategy.Canary(
                    (io.serin.events.TrafficRouting) empty(routing), List.of(new CanaryStep.SetWeight(10))), null);
            List<Violation> violations = validator.validate(r, null);
            if (routing != io.serin.events.TrafficRouting.ReplicaRatio.class) {
                assertThat(violations).as(routing.getSimpleName()).isNotEmpty()
                        .allSatisfy(v -> assertThat(v.field()).startsWith("strategy.trafficRouting."));
            }
        }
    }

    @Test
    void namesOutOfRangeStatisticalParameters() {
        MetricCheck check = new MetricCheck("error-rate", null, new Measure.Latency("latency", 1.5),
                new Judge.Sequential(0.9, null, -1.0, 1.5), null);
        assertThat(fields(Requests.canary("rel-1", List.of(new CanaryStep.Analysis(Duration.ofSeconds(5),
                List.of(check)))))).containsExactly("strategy.steps[0].metrics[0].measure.quantile",
                "strategy.steps[0].metrics[0].judge.alpha", "strategy.steps[0].metrics[0].judge.margin",
                "strategy.steps[0].metrics[0].judge.negligibleRate");
    }

    /** A record of the given type with every component null (primitives zero). */
    private static Object empty(Class<?> recordType) throws Exception {
        var components = recordType.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        Object[] args = java.util.Arrays.stream(types).map(t -> t == boolean.class ? false
                : t.isPrimitive() ? (Object) 0 : null).toArray();
        return recordType.getDeclaredConstructor(types).newInstance(args);
    }
}
