package io.serin.planner.plan;

import io.serin.events.AnalysisSpec;
import io.serin.events.BackgroundAnalysis;
import io.serin.events.CanaryStep;
import io.serin.events.Gates;
import io.serin.events.RouteMatch;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Violation;
import io.serin.events.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.serin.planner.plan.Requests.ISTIO;
import static io.serin.planner.plan.Requests.analysis;
import static io.serin.planner.plan.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

class StrategyRulesTest {

    private static final TrafficRouting NGINX = new TrafficRouting.Nginx("payment-gateway");
    private final RequestValidator validator = io.serin.planner.plan.Requests.validator();

    private List<String> violations(Strategy s) {
        return validator.validate(request("rel-1", s), "rel-1").stream().map(Violation::toString).toList();
    }

    @Test
    void anAbTestNeedsARouterThatMatchesRequestsAndAHeaderOrCookie() {
        assertThat(violations(new Strategy.AbTest(new TrafficRouting.ReplicaRatio(), RouteMatch.pathPrefix("/v2"),
                analysis(0.05), 0, null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.trafficRouting", "replicaRatio"))
                .anySatisfy(v -> assertThat(v).contains("strategy.match.pathPrefix", "only for apiVersions"))
                .anySatisfy(v -> assertThat(v).contains("strategy.iterations"));
        assertThat(violations(new Strategy.AbTest(ISTIO, null, null, null, null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.match", "required"))
                .anySatisfy(v -> assertThat(v).contains("strategy.analysis", "required"));
    }

    @Test
    void shadowNeedsAMirroringRouterAndAPercentUpTo100() {
        assertThat(violations(new Strategy.Shadow(NGINX, 150, analysis(0.05), null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.trafficRouting", "istio or gatewayApi"))
                .anySatisfy(v -> assertThat(v).contains("strategy.mirrorPercent", "150"));
    }

    @Test
    void apiVersionsNeedAPathThatStartsWithASlash() {
        assertThat(violations(new Strategy.ApiVersions(NGINX, RouteMatch.pathPrefix("v2"), null, null, null, null)))
                .singleElement().satisfies(v -> assertThat(v).contains("strategy.match.pathPrefix", "'/'"));
        assertThat(violations(new Strategy.ApiVersions(NGINX, new RouteMatch("api-version", "2", null, null, "/v2"),
                null, null, null, null))).anySatisfy(v -> assertThat(v).contains("exactly one of"));
    }

    @Test
    void blueGreenRejectsContradictionsAndNegativeDelays() {
        assertThat(violations(new Strategy.BlueGreen("web", "web", null, 30, true, null, -1, null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.previewService", "differ"))
                .anySatisfy(v -> assertThat(v).contains("strategy.autoPromotionSeconds", "manualPromotion"))
                .anySatisfy(v -> assertThat(v).contains("strategy.scaleDownDelaySeconds"));
        assertThat(violations(new Strategy.BlueGreen(null, null, new AnalysisSpec(null, List.of()), null, null,
                null, null, null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.prePromotionAnalysis.duration"))
                .anySatisfy(v -> assertThat(v).contains("strategy.prePromotionAnalysis.metrics"));
    }

    @Test
    void rollingNeedsRoomToMakeProgress() {
        assertThat(violations(new Strategy.Rolling("0", "0%", null, null, null, null)))
                .singleElement().satisfies(v -> assertThat(v).contains("maxUnavailable", "never make progress"));
        assertThat(violations(new Strategy.Rolling("120%", "one", null, null, null, null))).hasSize(2);
    }

    @Test
    void gatesNeedHttpUrlsAndPositiveTimes() {
        Gates gates = new Gates(new Webhook("ftp://hooks"), new Webhook("https://hooks.example.com",
                Duration.ZERO, null), new Webhook(null));
        assertThat(violations(new Strategy.Recreate(null, Duration.ofSeconds(-1), null, gates)))
                .anySatisfy(v -> assertThat(v).contains("strategy.gates.beforeRollout.url", "http or https"))
                .anySatisfy(v -> assertThat(v).contains("strategy.gates.beforeTrafficIncrease.timeout"))
                .anySatisfy(v -> assertThat(v).contains("strategy.gates.beforePromotion.url", "required"))
                .anySatisfy(v -> assertThat(v).contains("strategy.progressDeadline"));
    }

    @Test
    void aGateMayBeNamedInTheExecutorsConfiguration() {
        assertThat(violations(new Strategy.Recreate(null, null, null, new Gates(new Webhook("gate:smoke-tests"),
                null, null)))).isEmpty();
        assertThat(violations(new Strategy.Recreate(null, null, null, new Gates(new Webhook("gate:Not_A_Label"),
                new Webhook("gate://smoke"), null))))
                .anySatisfy(v -> assertThat(v).contains("strategy.gates.beforeRollout.url", "gate:<name>"))
                .anySatisfy(v -> assertThat(v).contains("strategy.gates.beforeTrafficIncrease.url", "gate:<name>"));
    }

    @Test
    void canaryScaleHeaderAndMirrorStepsNeedARouterThatCanDoThem() {
        assertThat(violations(new Strategy.Canary(new TrafficRouting.ReplicaRatio(), List.of(
                new CanaryStep.SetCanaryScale(2, 50, null), new CanaryStep.SetMirrorRoute(0)))))
                .anySatisfy(v -> assertThat(v).contains("strategy.steps[0]", "exactly one"))
                .anySatisfy(v -> assertThat(v).contains("strategy.steps[0]", "pod count is the traffic share"))
                .anySatisfy(v -> assertThat(v).contains("strategy.trafficRouting", "istio or gatewayApi"))
                .anySatisfy(v -> assertThat(v).contains("strategy.steps[1].percent"));
        assertThat(violations(new Strategy.Canary(NGINX, List.of(new CanaryStep.SetHeaderRoute(
                RouteMatch.cookie("beta"))), null, null, true, null, null)))
                .singleElement().satisfies(v -> assertThat(v).contains("strategy.baseline", "two ways"));
    }

    @Test
    void analysisLimitsAreSmallNonNegativeNumbers() {
        assertThat(violations(new Strategy.Shadow(ISTIO, null, new AnalysisSpec(Duration.ofMinutes(1),
                analysis(0.05).metrics(), -1, 1000), null, null, null)))
                .anySatisfy(v -> assertThat(v).contains("strategy.analysis.failureLimit"))
                .anySatisfy(v -> assertThat(v).contains("strategy.analysis.inconclusiveLimit"));
    }

    @Test
    void aBackgroundAnalysisStartsAtAnExistingStep() {
        assertThat(violations(new Strategy.Canary(ISTIO, List.of(new CanaryStep.SetWeight(10)), null, null, null,
                new BackgroundAnalysis(3, Duration.ofMinutes(5), analysis(0.05).metrics()), null)))
                .singleElement().satisfies(v -> assertThat(v).contains("startingStep", "0 to 0"));
    }
}
