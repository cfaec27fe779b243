package io.serin.planner.plan;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.BackgroundAnalysis;
import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.Gates;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseEvent;
import io.serin.events.RouteMatch;
import io.serin.events.Strategy;
import io.serin.events.Verdict;
import io.serin.events.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.serin.planner.plan.Requests.ISTIO;
import static io.serin.planner.plan.Requests.analysis;
import static io.serin.planner.plan.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** Every strategy's plan, run through the state machine with the executor and analyzer answering. */
class StrategiesTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Webhook HOOK = new Webhook("https://ci.example.com/hooks/confirm?token=secret",
            null, Duration.ofSeconds(20));

    private final ReleasePlanner planner = new ReleasePlanner(io.serin.planner.plan.Requests.validator());
    private final List<ReleaseEvent> log = new ArrayList<>();
    private final List<ExecutorCommand> commands = new ArrayList<>();
    private final List<AnalysisCommand> analyses = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private ReleaseState state;
    private Instant now = T0;

    private Decision apply(Decision d) {
        assertThat(d.isIgnored()).as("ignored: %s", d.ignoredBecause()).isFalse();
        log.addAll(d.events());
        commands.addAll(d.commands());
        analyses.addAll(d.analyses());
        timers.addAll(d.timers());
        state = d.state();
        return d;
    }

    private void start(Strategy strategy) {
        apply(planner.onRequest(request("r1", strategy), "r1", null, now));
    }

    private ExecutorCommand lastCommand() {
        return commands.get(commands.size() - 1);
    }

    private void confirm() {
        apply(planner.onResult(new ExecutorResult.Succeeded(state.pending(), "r1", now, "done", null), state, now));
    }

    private void refuse(FailureReason reason) {
        apply(planner.onResult(new ExecutorResult.Failed(state.pending(), "r1", now, reason, "HTTP 503"), state, now));
    }

    private void verdict(String analysisId, Verdict v) {
        apply(planner.onVerdict(new AnalysisVerdict(analysisId, "r1", v, "because", now, List.of()), state, now));
    }

    private void pass() {
        verdict(state.pending(), Verdict.SUCCESSFUL);
    }

    private void act(ReleaseAction action) {
        apply(planner.onAction(new ReleaseActionRequested("r1", null, action, "alice", null), state, now));
    }

    private void fire(Timer.Kind kind) {
        Timer timer = timers.stream().filter(t -> t.kind() == kind).reduce((a, b) -> b).orElseThrow();
        now = timer.dueAt();
        apply(planner.onTimer(timer, state, now));
    }

    private List<Class<?>> commandTypes() {
        return commands.stream().<Class<?>>map(Object::getClass).toList();
    }

    private <E extends ReleaseEvent> E lastEvent(Class<E> type) {
        return log.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void blueGreenPreviewsAnalysesSwitchesKeepsBlueForTheDelayThenPromotes() {
        start(new Strategy.BlueGreen(null, null, analysis(0.05), null, null, analysis(0.05), 60, null, null, null));
        var preview = (ExecutorCommand.DeployPreview) lastCommand();
        assertThat(preview.activeService()).isEqualTo("payment-gateway");
        assertThat(preview.previewService()).isEqualTo("payment-gateway-preview");
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.ANALYZING);
        pass();
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.SwitchActive.class);
        confirm();
        pass();
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(state.resumeAt()).isEqualTo(now.plusSeconds(60));
        fire(Timer.Kind.RESUME);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteBlueGreen.class);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(commandTypes()).containsExactly(ExecutorCommand.DeployPreview.class,
                ExecutorCommand.SwitchActive.class, ExecutorCommand.PromoteBlueGreen.class);
        assertThat(log).filteredOn(ReleaseEvent.StepStarted.class::isInstance)
                .extracting(e -> ((ReleaseEvent.StepStarted) e).description())
                .containsExactly("start green (registry.example.com/payments/payment-gateway:v2) at full size "
                        + "behind Service payment-gateway-preview",
                        "pre-promotion analysis: error-rate for PT30S", "switch Service payment-gateway to green",
                        "post-promotion analysis: error-rate for PT30S",
                        "keep blue for 60 s for an instant rollback");
        assertGapless();
    }

    @Test
    void blueGreenRollsBackBySwitchingBackDuringTheScaleDownDelay() {
        start(new Strategy.BlueGreen("web", "web-next", null, null, null, null, null, null, null, null));
        confirm();
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        act(ReleaseAction.ABORT);
        var rollback = (ExecutorCommand.RollbackBlueGreen) lastCommand();
        assertThat(rollback.activeService()).isEqualTo("web");
        assertThat(rollback.previewService()).isEqualTo("web-next");
        assertThat(rollback.reason()).contains("aborted by alice");
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void blueGreenWithManualPromotionSwitchesOnlyWhenAnOperatorPromotes() {
        start(new Strategy.BlueGreen(null, null, null, null, true, null, 0, null, null, null));
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(state.resumeAt()).isNull();
        act(ReleaseAction.PROMOTE);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.SwitchActive.class);
        confirm();
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteBlueGreen.class);
    }

    @Test
    void blueGreenWithAutoPromotionSecondsSwitchesAfterThem() {
        start(new Strategy.BlueGreen(null, null, null, 120, null, null, 0, null, null, null));
        confirm();
        assertThat(state.resumeAt()).isEqualTo(T0.plusSeconds(120));
        fire(Timer.Kind.RESUME);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.SwitchActive.class);
    }

    @Test
    void abTestRoutesTheSegmentForEveryIterationThenPromotes() {
        start(new Strategy.AbTest(ISTIO, RouteMatch.cookie("beta"), analysis(0.05), 2, null, null, null));
        var route = (ExecutorCommand.SetHeaderRoute) lastCommand();
        assertThat(route.match()).isEqualTo(RouteMatch.cookie("beta"));
        confirm();
        pass();
        pass();
        assertThat(analyses).hasSize(2);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteCanary.class);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void shadowMirrorsJudgesTheMirroredVersionAndRollsBackWhenItFails() {
        start(new Strategy.Shadow(ISTIO, null, analysis(0.05), null, null, null));
        assertThat(((ExecutorCommand.SetMirrorRoute) lastCommand()).percent()).isEqualTo(100);
        confirm();
        verdict(state.pending(), Verdict.FAILED);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.RollbackCanary.class);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void apiVersionsServeBothUntilTheOldOneIsRetired() {
        start(new Strategy.ApiVersions(ISTIO, RouteMatch.pathPrefix("/v2"), null, null, null, null));
        assertThat(((ExecutorCommand.SetHeaderRoute) lastCommand()).match().pathPrefix()).isEqualTo("/v2");
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.SERVING);
        assertThat(lastEvent(ReleaseEvent.Paused.class).reason()).contains("retire");

        assertThat(planner.whyNot(new ReleaseActionRequested("r1", null, ReleaseAction.PROMOTE, "bob", null), state))
                .hasValueSatisfying(why -> assertThat(why).contains("use action retire"));
        assertThat(planner.whyNot(new ReleaseActionRequested("r1", null, ReleaseAction.PAUSE, "bob", null), state))
                .isPresent();
        act(ReleaseAction.RETIRE);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteCanary.class);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
        assertGapless();
    }

    @Test
    void apiVersionsCanBeAbortedWhileBothAreServed() {
        start(new Strategy.ApiVersions(ISTIO, RouteMatch.header("api-version", "2"), null, null, null, null));
        confirm();
        act(ReleaseAction.ABORT);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.RollbackCanary.class);
    }

    @Test
    void retireAppliesOnlyToAReleaseServingBothVersions() {
        start(new Strategy.Shadow(ISTIO, 50, analysis(0.05), null, null, null));
        assertThat(planner.whyNot(new ReleaseActionRequested("r1", null, ReleaseAction.RETIRE, "bob", null), state))
                .hasValueSatisfying(why -> assertThat(why).contains("only an API-versions release"));
    }

    @Test
    void rollingUpdatesJudgesAndIsPromotedWithoutAnotherCommand() {
        start(new Strategy.Rolling("25%", "0", analysis(0.05), null, null, null));
        var update = (ExecutorCommand.RollingUpdate) lastCommand();
        assertThat(update.maxSurge()).isEqualTo("25%");
        confirm();
        pass();
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(commands).hasSize(1);
        assertThat(lastEvent(ReleaseEvent.Promoted.class).summary()).contains("rolling update complete");
        assertGapless();
    }

    @Test
    void rollingUndoesTheRolloutWhenTheAnalysisFails() {
        start(new Strategy.Rolling(null, null, analysis(0.05), null, null, null));
        confirm();
        verdict(state.pending(), Verdict.FAILED);
        var undo = (ExecutorCommand.UndoUpdate) lastCommand();
        assertThat(undo.recreate()).isNull();
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void recreateUndoesByRecreatingWhenTheNewPodsNeverGetReady() {
        start(new Strategy.Recreate(null, null, null, null));
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.RecreateUpdate.class);
        refuse(FailureReason.NOT_READY);
        assertThat(((ExecutorCommand.UndoUpdate) lastCommand()).recreate()).isTrue();
        assertThat(state.outcome()).contains("NOT_READY");
    }

    @Test
    void aClosedGateIsAskedAgainUntilItOpensAndTheWaitIsRecorded() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(20)), null, null, null, null,
                new Gates(HOOK, null, null)));
        var ask = (ExecutorCommand.CheckGate) lastCommand();
        assertThat(ask.gate()).isEqualTo("beforeRollout");
        assertThat(ask.commandId()).isEqualTo("r1/step-0/ask-1");
        assertThat(lastEvent(ReleaseEvent.StepStarted.class).description())
                .isEqualTo("ask gate beforeRollout (ci.example.com)");
        refuse(FailureReason.GATE_CLOSED);
        assertThat(state.phase()).isEqualTo(Phase.APPLYING_STEP);
        assertThat(lastEvent(ReleaseEvent.Paused.class).resumeAt()).isEqualTo(T0.plusSeconds(20));
        fire(Timer.Kind.ASK_AGAIN);
        assertThat(lastCommand().commandId()).isEqualTo("r1/step-0/ask-2");
        refuse(FailureReason.GATE_CLOSED);
        assertThat(log).filteredOn(ReleaseEvent.Paused.class::isInstance).hasSize(1);
        fire(Timer.Kind.ASK_AGAIN);
        confirm();
        assertThat(lastEvent(ReleaseEvent.Resumed.class).by()).contains("after 3 asks");
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.SetCanaryWeight.class);
        assertGapless();
    }

    @Test
    void aGateThatNeverOpensRollsBackAtTheProgressDeadline() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(20)), Duration.ofMinutes(2), null, null,
                null, new Gates(HOOK, null, null)));
        refuse(FailureReason.GATE_CLOSED);
        fire(Timer.Kind.DEADLINE);
        assertThat(state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(state.outcome()).contains("ask gate beforeRollout").contains("not confirmed");
    }

    @Test
    void aStaleAskOfAGateThatOpenedChangesNothing() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(20)), null, null, null, null,
                new Gates(HOOK, null, null)));
        refuse(FailureReason.GATE_CLOSED);
        Timer askAgain = timers.get(timers.size() - 1);
        fire(Timer.Kind.ASK_AGAIN);
        confirm();
        assertThat(planner.onTimer(askAgain, state, now).isIgnored()).isTrue();
    }

    @Test
    void gatesGuardEveryTrafficIncreaseAndThePromotion() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(20), new CanaryStep.SetMirrorRoute(10),
                new CanaryStep.SetWeight(50)), null, null, null, null, new Gates(null, HOOK, HOOK)));
        for (int i = 0; i < 6; i++) {
            confirm();
        }
        assertThat(commands).extracting(c -> c instanceof ExecutorCommand.CheckGate g ? g.gate()
                : c.getClass().getSimpleName()).containsExactly("beforeTrafficIncrease", "SetCanaryWeight",
                "SetMirrorRoute", "beforeTrafficIncrease", "SetCanaryWeight", "beforePromotion", "PromoteCanary");
    }

    @Test
    void aFailedBackgroundAnalysisRollsBackAtWhateverStepTheReleaseIs() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null),
                new CanaryStep.SetWeight(50)), null, null, null,
                new BackgroundAnalysis(1, Duration.ofMinutes(30), analysis(0.05).metrics()), null));
        assertThat(analyses).isEmpty();
        confirm();
        assertThat(analyses).singleElement().satisfies(a -> {
            assertThat(a.analysisId()).isEqualTo("r1/background");
            assertThat(((AnalysisCommand.Start) a).duration()).isEqualTo(Duration.ofMinutes(30));
        });
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        verdict("r1/background", Verdict.FAILED);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.RollbackCanary.class);
        assertThat(state.outcome()).startsWith("background analysis FAILED");
    }

    @Test
    void anInitialDelayStartsTheJudgedWindowAfterTheWarmUpAndTheDeadlineWaitsForIt() {
        Duration delay = Duration.ofMinutes(1);
        Duration window = Duration.ofMinutes(5);
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10),
                new CanaryStep.Analysis(window, analysis(0.05).metrics(), 1, null, delay)),
                Duration.ofMinutes(10), null));
        now = T0.plusSeconds(7);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.ANALYZING);
        AnalysisCommand.Start first = (AnalysisCommand.Start) analyses.get(analyses.size() - 1);
        // samples of the first minute are not judged; the full five minutes are judged after it
        assertThat(first.startAt()).isEqualTo(now.plus(delay));
        assertThat(first.duration()).isEqualTo(window);
        Timer deadline = timers.get(timers.size() - 1);
        assertThat(deadline.kind()).isEqualTo(Timer.Kind.DEADLINE);
        assertThat(deadline.ref()).isEqualTo(first.analysisId());
        assertThat(deadline.dueAt()).isEqualTo(now.plus(delay).plus(window).plus(Duration.ofMinutes(10)));
        assertThat(lastEvent(ReleaseEvent.StepStarted.class).description()).endsWith("after a PT1M warm-up");

        // a tolerated FAILED verdict runs the analysis again, warm-up included
        now = first.startAt().plus(window);
        verdict(first.analysisId(), Verdict.FAILED);
        AnalysisCommand.Start again = (AnalysisCommand.Start) analyses.get(analyses.size() - 1);
        assertThat(again.analysisId()).isNotEqualTo(first.analysisId());
        assertThat(again.startAt()).isEqualTo(now.plus(delay));
        assertThat(timers.get(timers.size() - 1).dueAt())
                .isEqualTo(now.plus(delay).plus(window).plus(Duration.ofMinutes(10)));
        pass();
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteCanary.class);
    }

    @Test
    void withoutAnInitialDelayTheJudgedWindowStartsWithTheStep() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10),
                new CanaryStep.Analysis(Duration.ofMinutes(5), analysis(0.05).metrics(), null, null,
                        Duration.ZERO))));
        now = T0.plusSeconds(7);
        confirm();
        AnalysisCommand.Start start = (AnalysisCommand.Start) analyses.get(0);
        assertThat(start.startAt()).isEqualTo(now);
        assertThat(timers.get(timers.size() - 1).dueAt())
                .isEqualTo(now.plus(Duration.ofMinutes(5)).plus(Plan.DEFAULT_PROGRESS_DEADLINE));
        assertThat(lastEvent(ReleaseEvent.StepStarted.class).description()).doesNotContain("warm-up");
    }

    @Test
    void theInitialDelayOfAStrategysAnalysisAndOfABackgroundAnalysisDelaysTheirWindows() {
        var spec = new io.serin.events.AnalysisSpec(Duration.ofMinutes(2), analysis(0.05).metrics(), null, null,
                Duration.ofSeconds(90));
        start(new Strategy.BlueGreen(null, null, spec, null, null, null, 0, null, null, null));
        now = T0.plusSeconds(3);
        confirm();
        AnalysisCommand.Start pre = (AnalysisCommand.Start) analyses.get(0);
        assertThat(pre.startAt()).isEqualTo(now.plusSeconds(90));
        assertThat(pre.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(timers.get(timers.size() - 1).dueAt()).isEqualTo(now.plusSeconds(90).plus(Duration.ofMinutes(2))
                .plus(Plan.DEFAULT_PROGRESS_DEADLINE));

        StrategiesTest background = new StrategiesTest();
        background.start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null)),
                null, null, null, new BackgroundAnalysis(1, Duration.ofMinutes(30), analysis(0.05).metrics(),
                        Duration.ofMinutes(2)), null));
        background.now = T0.plusSeconds(4);
        background.confirm();
        assertThat(background.analyses).singleElement().satisfies(a -> {
            assertThat(((AnalysisCommand.Start) a).startAt()).isEqualTo(T0.plusSeconds(4).plus(Duration.ofMinutes(2)));
            assertThat(((AnalysisCommand.Start) a).duration()).isEqualTo(Duration.ofMinutes(30));
        });
    }

    @Test
    void aSuccessfulBackgroundAnalysisIsRecordedAndChangesNothing() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null)), null,
                null, null, new BackgroundAnalysis(null, Duration.ofMinutes(5), analysis(0.05).metrics()), null));
        assertThat(analyses).hasSize(1);
        verdict("r1/background", Verdict.SUCCESSFUL);
        assertThat(state.phase()).isEqualTo(Phase.APPLYING_STEP);
        assertThat(lastEvent(ReleaseEvent.AnalysisCompleted.class).verdict().verdict()).isEqualTo(Verdict.SUCCESSFUL);
        confirm();
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
    }

    @Test
    void canaryStepsBecomeTheirCommandsAndTheBaselineTravelsWithTheWeight() {
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetCanaryScale(null, 50, null),
                new CanaryStep.SetWeight(10), new CanaryStep.SetHeaderRoute(RouteMatch.header("x-beta", "1")),
                new CanaryStep.SetMirrorRoute(30)), null, null, true, null, null));
        for (int i = 0; i < 4; i++) {
            confirm();
        }
        assertThat(((ExecutorCommand.SetCanaryScale) commands.get(0)).percent()).isEqualTo(50);
        assertThat(((ExecutorCommand.SetCanaryWeight) commands.get(1)).baseline()).isTrue();
        assertThat(((ExecutorCommand.SetHeaderRoute) commands.get(2)).match().header()).isEqualTo("x-beta");
        assertThat(((ExecutorCommand.SetMirrorRoute) commands.get(3)).percent()).isEqualTo(30);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.PromoteCanary.class);
    }

    @Test
    void failureAndInconclusiveLimitsAreCountedPerAnalysisStep() {
        var tolerant = new CanaryStep.Analysis(Duration.ofSeconds(30), analysis(0.05).metrics(), 1, 1);
        start(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10), tolerant, new CanaryStep.SetWeight(20),
                tolerant)));
        confirm();
        verdict(state.pending(), Verdict.FAILED);
        assertThat(state.phase()).isEqualTo(Phase.ANALYZING);
        assertThat(state.pending()).isEqualTo("r1/step-1/run-2");
        verdict(state.pending(), Verdict.INCONCLUSIVE);
        assertThat(state.pending()).isEqualTo("r1/step-1/run-3");
        pass();
        confirm();
        // the next analysis step starts with fresh counts
        verdict(state.pending(), Verdict.FAILED);
        assertThat(state.pending()).isEqualTo("r1/step-3/run-2");
        verdict(state.pending(), Verdict.FAILED);
        assertThat(lastCommand()).isInstanceOf(ExecutorCommand.RollbackCanary.class);
        assertThat(log).filteredOn(ReleaseEvent.AnalysisCompleted.class::isInstance).hasSize(5);
        assertGapless();
    }

    @Test
    void everyStrategyCompilesAndIsValid() {
        // Adding a strategy fails here until the planner and validator handle it.
        for (Class<?> type : Strategy.class.getPermittedSubclasses()) {
            Strategy s = Fixtures.strategy(type);
            assertThat(s).as("fixture for %s", type.getSimpleName()).isNotNull();
            assertThat(io.serin.planner.plan.Requests.validator().validate(request("r", s), null))
                    .as(type.getSimpleName()).isEmpty();
            assertThat(Plans.stepCount(request("r", s))).as(type.getSimpleName()).isPositive();
            Decision d = planner.onRequest(request("r-" + type.getSimpleName(), s), null, null, T0);
            assertThat(d.commands()).as(type.getSimpleName()).isNotEmpty();
        }
    }

    private void assertGapless() {
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).sequence()).isEqualTo(i + 1);
        }
    }

    /** One valid strategy of each type. */
    static final class Fixtures {
        static Strategy strategy(Class<?> type) {
            if (type == Strategy.Canary.class) {
                return new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10)));
            } else if (type == Strategy.BlueGreen.class) {
                return new Strategy.BlueGreen(null, null, null, null, null, null, null, null, null, null);
            } else if (type == Strategy.AbTest.class) {
                return new Strategy.AbTest(ISTIO, RouteMatch.header("x-beta", "1"), analysis(0.05), null, null, null,
                        null);
            } else if (type == Strategy.Shadow.class) {
                return new Strategy.Shadow(ISTIO, 20, analysis(0.05), null, null, null);
            } else if (type == Strategy.ApiVersions.class) {
                return new Strategy.ApiVersions(ISTIO, RouteMatch.pathPrefix("/v2"), null, null, null, null);
            } else if (type == Strategy.Rolling.class) {
                return new Strategy.Rolling(null, null, null, null, null, null);
            } else if (type == Strategy.Recreate.class) {
                return new Strategy.Recreate(null, null, null, null);
            }
            return null;
        }
    }
}
