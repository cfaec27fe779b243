package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.ReleaseEvent;
import io.serin.events.TrafficState;
import io.serin.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReleasePlannerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final ReleasePlanner planner = new ReleasePlanner(io.serin.planner.plan.Requests.validator());
    private final List<ReleaseEvent> log = new ArrayList<>();
    private ReleaseState state;

    private Decision apply(Decision d) {
        assertThat(d.isIgnored()).as("ignored: %s", d.ignoredBecause()).isFalse();
        log.addAll(d.events());
        state = d.state();
        return d;
    }

    private static ExecutorResult ok(String commandId) {
        return new ExecutorResult.Succeeded(commandId, "r1", T0, "done", new TrafficState(25, 1, 3));
    }

    private static AnalysisVerdict verdict(String analysisId, Verdict v) {
        return new AnalysisVerdict(analysisId, "r1", v, "because", T0, List.of());
    }

    @Test
    void promotesAfterEveryStepSucceeds() {
        Decision d = apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        ExecutorCommand.SetCanaryWeight setWeight = (ExecutorCommand.SetCanaryWeight) d.commands().get(0);
        assertThat(setWeight.weight()).isEqualTo(25);
        assertThat(state.phase()).isEqualTo(Phase.APPLYING_STEP);

        d = apply(planner.onResult(ok(setWeight.commandId()), state, T0));
        AnalysisCommand.Start analysis = (AnalysisCommand.Start) d.analyses().get(0);
        assertThat(analysis.metrics().get(0).minCount()).isEqualTo(100L);
        assertThat(state.phase()).isEqualTo(Phase.ANALYZING);
        assertThat(state.traffic()).isEqualTo(new TrafficState(25, 1, 3));

        d = apply(planner.onVerdict(verdict(analysis.analysisId(), Verdict.SUCCESSFUL), state, T0));
        ExecutorCommand promote = d.commands().get(0);
        assertThat(promote).isInstanceOf(ExecutorCommand.PromoteCanary.class);

        apply(planner.onResult(ok(promote.commandId()), state, T0));
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(log).extracting(e -> e.getClass().getSimpleName()).containsExactly("Accepted", "StepStarted",
                "StepCompleted", "StepStarted", "AnalysisCompleted", "PromotionStarted", "Promoted");
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void passesEveryFieldOfAMetricCheckToTheAnalyzerFillingOnlyDefaults() {
        var check = new io.serin.events.MetricCheck("error-rate", null, new io.serin.events.Measure.Ratio("errors",
                "requests"), new io.serin.events.Judge.Sequential(0.01, 0.01, 1.0), null, io.serin.events.Variant.BASELINE);
        apply(planner.onRequest(Requests.canary("r1", List.of(new CanaryStep.Analysis(java.time.Duration.ofMinutes(1),
                List.of(check)))), "r1", null, T0));
        assertThat(state.phase()).isEqualTo(Phase.ANALYZING);
        assertThat(log).hasSize(2);
        // the start command went out with the check, defaults filled, compareTo kept
        var start = planner.onRequest(Requests.canary("r2", List.of(new CanaryStep.Analysis(
                java.time.Duration.ofMinutes(1), List.of(check)))), "r2", null, T0).analyses().get(0);
        assertThat(((AnalysisCommand.Start) start).metrics()).singleElement().isEqualTo(new io.serin.events.MetricCheck(
                "error-rate", io.serin.events.Variant.CANARY, check.measure(), check.judge(), 0L,
                io.serin.events.Variant.BASELINE));
    }

    @Test
    void rollsBackWhenTheAnalysisFails() {
        apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        apply(planner.onResult(ok("r1/step-0"), state, T0));
        Decision d = apply(planner.onVerdict(verdict("r1/step-1", Verdict.FAILED), state, T0));
        ExecutorCommand.RollbackCanary rollback = (ExecutorCommand.RollbackCanary) d.commands().get(0);
        assertThat(rollback.reason()).contains("FAILED");

        apply(planner.onResult(ok(rollback.commandId()), state, T0));
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
        ReleaseEvent last = log.get(log.size() - 1);
        assertThat(((ReleaseEvent.RolledBack) last).reason()).isEqualTo("analysis FAILED: because");
        assertThat(log).extracting(ReleaseEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void pausesForAnOperatorWhenTheAnalysisIsInconclusiveBecauseNoEvidenceIsNoPass() {
        apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        apply(planner.onResult(ok("r1/step-0"), state, T0));
        Decision d = apply(planner.onVerdict(verdict("r1/step-1", Verdict.INCONCLUSIVE), state, T0));
        assertThat(d.commands()).isEmpty();
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        ReleaseEvent.Paused paused = (ReleaseEvent.Paused) log.get(log.size() - 1);
        assertThat(paused.reason()).startsWith("analysis INCONCLUSIVE: because");
        assertThat(paused.resumeAt()).isNull();
    }

    @Test
    void rollsBackAnInconclusiveAnalysisWhenTheRequestSaysSo() {
        var canary = (io.serin.events.Strategy.Canary) Requests.canary("r1").strategy();
        var request = new io.serin.events.ReleaseRequested("r1", Requests.TARGET, Requests.V2,
                new io.serin.events.Strategy.Canary(canary.trafficRouting(), canary.steps(), null,
                        io.serin.events.Strategy.InconclusivePolicy.ROLLBACK), "ci");
        apply(planner.onRequest(request, "r1", null, T0));
        apply(planner.onResult(ok("r1/step-0"), state, T0));
        Decision d = apply(planner.onVerdict(verdict("r1/step-1", Verdict.INCONCLUSIVE), state, T0));
        assertThat(d.commands()).singleElement().isInstanceOf(ExecutorCommand.RollbackCanary.class);
    }

    @Test
    void rollsBackWhenAStepCannotBeApplied() {
        apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        Decision d = apply(planner.onResult(new ExecutorResult.Failed("r1/step-0", "r1", T0, FailureReason.NOT_READY,
                "canary never became ready: ImagePullBackOff"), state, T0));
        assertThat(((ExecutorCommand.RollbackCanary) d.commands().get(0)).reason())
                .isEqualTo("step 1 of 2 could not be applied: NOT_READY: canary never became ready: ImagePullBackOff");
        assertThat(state.phase()).isEqualTo(Phase.ROLLING_BACK);
    }

    @Test
    void failsTheReleaseWhenRollbackItselfFails() {
        apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        apply(planner.onResult(new ExecutorResult.Failed("r1/step-0", "r1", T0, FailureReason.FORBIDDEN, "no"), state,
                T0));
        apply(planner.onResult(new ExecutorResult.Failed("r1/rollback", "r1", T0, FailureReason.TIMEOUT, "api down"),
                state, T0));
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(((ReleaseEvent.Failed) log.get(log.size() - 1)).reason()).isEqualTo("rollback failed: TIMEOUT: api down");
    }

    @Test
    void ignoresStaleResultsAndVerdictsAndDuplicateRequests() {
        apply(planner.onRequest(Requests.canary("r1"), "r1", null, T0));
        assertThat(planner.onResult(ok("r1/step-7"), state, T0).isIgnored()).isTrue();
        assertThat(planner.onVerdict(verdict("r1/step-0", Verdict.FAILED), state, T0).isIgnored()).isTrue();
        assertThat(planner.onRequest(Requests.canary("r1"), "r1", state, T0).ignoredBecause()).contains("duplicate");
        assertThat(planner.onResult(ok("x/step-0"), null, T0).isIgnored()).isTrue();
    }

    @Test
    void rejectsAnInvalidRequestWithItsViolationsAsTheOnlyEvent() {
        Decision d = apply(planner.onRequest(Requests.canary("r1", List.of(new CanaryStep.SetWeight(150))), "r1",
                null, T0));
        assertThat(d.commands()).isEmpty();
        assertThat(state.phase()).isEqualTo(Phase.REJECTED);
        ReleaseEvent.Rejected rejected = (ReleaseEvent.Rejected) log.get(0);
        assertThat(rejected.sequence()).isEqualTo(1);
        assertThat(rejected.violations()).extracting(v -> v.field()).containsExactly("strategy.steps[0].weight");
    }

    @Test
    void handlesEveryStepType() {
        // Adding a step type fails here until the planner and validator handle it.
        for (Class<?> type : CanaryStep.class.getPermittedSubclasses()) {
            CanaryStep step = type == CanaryStep.SetWeight.class ? new CanaryStep.SetWeight(10)
                    : type == CanaryStep.Analysis.class
                            ? new CanaryStep.Analysis(java.time.Duration.ofSeconds(5), List.of(Requests.errorRate(0.1)))
                    : type == CanaryStep.Pause.class ? new CanaryStep.Pause(java.time.Duration.ofSeconds(5))
                    : type == CanaryStep.SetCanaryScale.class ? new CanaryStep.SetCanaryScale(2, null, null)
                    : type == CanaryStep.SetHeaderRoute.class
                            ? new CanaryStep.SetHeaderRoute(io.serin.events.RouteMatch.header("x-canary", "yes"))
                    : type == CanaryStep.SetMirrorRoute.class ? new CanaryStep.SetMirrorRoute(20)
                    : null;
            assertThat(step).as("fixture for %s", type.getSimpleName()).isNotNull();
            Decision d = planner.onRequest(Requests.canary("r-" + type.getSimpleName(), Requests.ISTIO,
                    List.of(step)), null, null, T0);
            assertThat(d.state().phase()).isIn(Phase.APPLYING_STEP, Phase.ANALYZING, Phase.PAUSED);
            assertThat(io.serin.planner.plan.Requests.validator().validate(
                    Requests.canary("r", Requests.ISTIO, List.of(step)), null)).isEmpty();
        }
    }
}
