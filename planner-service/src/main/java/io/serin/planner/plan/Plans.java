package io.serin.planner.plan;

import io.serin.events.AnalysisSpec;
import io.serin.events.CanaryStep;
import io.serin.events.ExecutorCommand;
import io.serin.events.Gates;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseRequested;
import io.serin.events.RouteMatch;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Variant;
import io.serin.events.VersionSpec;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compiles a release request into its {@link Plan}. Strategies and canary steps are dispatched here
 * and nowhere else in the planner; docs/planner.md shows the plan of each strategy.
 */
public final class Plans {

    static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

    private Plans() {
    }

    static Plan of(ReleaseRequested request) {
        Strategy strategy = request.strategy();
        if (strategy instanceof Strategy.Canary s) {
            return canary(request, s);
        } else if (strategy instanceof Strategy.BlueGreen s) {
            return blueGreen(request, s);
        } else if (strategy instanceof Strategy.AbTest s) {
            return abTest(request, s);
        } else if (strategy instanceof Strategy.Shadow s) {
            return shadow(request, s);
        } else if (strategy instanceof Strategy.ApiVersions s) {
            return apiVersions(request, s);
        } else if (strategy instanceof Strategy.Rolling s) {
            return rolling(request, s);
        } else if (strategy instanceof Strategy.Recreate s) {
            return recreate(request, s);
        }
        throw new IllegalStateException("unhandled strategy " + strategy.getClass());
    }

    /** The name the status API shows. */
    public static String strategyName(ReleaseRequested request) {
        return of(request).strategy();
    }

    /** How many steps the release runs. */
    public static int stepCount(ReleaseRequested request) {
        return of(request).steps().size();
    }

    private static Plan canary(ReleaseRequested r, Strategy.Canary s) {
        String id = r.releaseId();
        WorkloadRef target = r.target();
        VersionSpec to = r.to();
        TrafficRouting routing = routing(s.trafficRouting());
        boolean baseline = Boolean.TRUE.equals(s.baseline());
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        int backgroundFrom = -1;
        List<CanaryStep> requested = s.steps() == null ? List.of() : s.steps();
        for (int i = 0; i < requested.size(); i++) {
            CanaryStep step = requested.get(i);
            if (step instanceof CanaryStep.SetWeight w || step instanceof CanaryStep.SetHeaderRoute) {
                gate(steps, s.gates(), Gates.BEFORE_TRAFFIC_INCREASE);
            }
            if (s.backgroundAnalysis() != null && i == startingStep(s)) {
                backgroundFrom = steps.size();
            }
            steps.add(canaryStep(step, id, target, to, routing, baseline));
        }
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        return new Plan("canary", List.copyOf(steps),
                cid -> new ExecutorCommand.PromoteCanary(cid, id, target, to, routing), null,
                (cid, why) -> new ExecutorCommand.RollbackCanary(cid, id, target, routing, why),
                s.progressDeadline(), s.onInconclusive(), s.backgroundAnalysis(), backgroundFrom);
    }

    private static PlanStep canaryStep(CanaryStep step, String id, WorkloadRef target, VersionSpec to,
            TrafficRouting routing, boolean baseline) {
        if (step instanceof CanaryStep.SetWeight w) {
            return new PlanStep.Act("set weight " + w.weight() + "%" + (baseline ? " (baseline too)" : ""), step,
                    cid -> new ExecutorCommand.SetCanaryWeight(cid, id, target, to, w.weight(), routing,
                            baseline ? Boolean.TRUE : null));
        } else if (step instanceof CanaryStep.SetCanaryScale scale) {
            return new PlanStep.Act(describe(scale), step, cid -> new ExecutorCommand.SetCanaryScale(cid, id, target,
                    to, scale.replicas(), scale.percent(), routing));
        } else if (step instanceof CanaryStep.SetHeaderRoute h) {
            return headerRoute(describe(h.match()) + " go to the canary", step, id, target, to, h.match(), routing);
        } else if (step instanceof CanaryStep.SetMirrorRoute m) {
            return new PlanStep.Act("mirror " + m.percent() + "% of requests to the canary", step,
                    cid -> new ExecutorCommand.SetMirrorRoute(cid, id, target, to, m.percent(), routing));
        } else if (step instanceof CanaryStep.Analysis a) {
            return new PlanStep.Analyze("analysis: " + names(a.metrics()) + " for " + a.duration()
                    + warmUp(a.initialDelay()), step, a.duration(), a.metrics(), orZero(a.failureLimit()),
                    orZero(a.inconclusiveLimit()), orZero(a.initialDelay()));
        } else if (step instanceof CanaryStep.Pause p) {
            return new PlanStep.Wait(p.duration() == null ? "pause until an operator promotes"
                    : "pause for " + p.duration(), step, p.duration());
        }
        throw new IllegalStateException("unhandled step " + step.getClass());
    }

    private static Plan blueGreen(ReleaseRequested r, Strategy.BlueGreen s) {
        String id = r.releaseId();
        WorkloadRef target = r.target();
        VersionSpec to = r.to();
        String active = s.activeService() != null ? s.activeService() : target.name();
        String preview = s.previewService() != null ? s.previewService() : target.name() + "-preview";
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        steps.add(new PlanStep.Act("start green (" + to.image() + ") at full size behind Service " + preview, null,
                cid -> new ExecutorCommand.DeployPreview(cid, id, target, to, active, preview)));
        analyze(steps, "pre-promotion analysis", s.prePromotionAnalysis());
        if (Boolean.TRUE.equals(s.manualPromotion())) {
            steps.add(new PlanStep.Wait("wait for an operator to promote", null, null));
        } else if (s.autoPromotionSeconds() != null && s.autoPromotionSeconds() > 0) {
            steps.add(new PlanStep.Wait("promote automatically in " + s.autoPromotionSeconds() + " s", null,
                    Duration.ofSeconds(s.autoPromotionSeconds())));
        }
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        gate(steps, s.gates(), Gates.BEFORE_TRAFFIC_INCREASE);
        steps.add(new PlanStep.Act("switch Service " + active + " to green", null,
                cid -> new ExecutorCommand.SwitchActive(cid, id, target, active)));
        analyze(steps, "post-promotion analysis", s.postPromotionAnalysis());
        int delay = s.scaleDownDelaySeconds() != null ? s.scaleDownDelaySeconds() : DEFAULT_SCALE_DOWN_DELAY_SECONDS;
        if (delay > 0) {
            steps.add(new PlanStep.Wait("keep blue for " + delay + " s for an instant rollback", null,
                    Duration.ofSeconds(delay)));
        }
        return new Plan("blueGreen", List.copyOf(steps),
                cid -> new ExecutorCommand.PromoteBlueGreen(cid, id, target, to, active, preview), null,
                (cid, why) -> new ExecutorCommand.RollbackBlueGreen(cid, id, target, active, preview, why),
                s.progressDeadline(), s.onInconclusive(), null, -1);
    }

    private static Plan abTest(ReleaseRequested r, Strategy.AbTest s) {
        TrafficRouting routing = routing(s.trafficRouting());
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        gate(steps, s.gates(), Gates.BEFORE_TRAFFIC_INCREASE);
        steps.add(headerRoute(describe(s.match()) + " go to the new version", null, r.releaseId(), r.target(),
                r.to(), s.match(), routing));
        int iterations = s.iterations() == null ? 1 : s.iterations();
        for (int i = 1; i <= iterations; i++) {
            analyze(steps, "analysis " + i + " of " + iterations, s.analysis());
        }
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        return canaryLike("abTest", r, routing, steps, s);
    }

    private static Plan shadow(ReleaseRequested r, Strategy.Shadow s) {
        TrafficRouting routing = routing(s.trafficRouting());
        int percent = s.mirrorPercent() == null ? 100 : s.mirrorPercent();
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        steps.add(new PlanStep.Act("mirror " + percent + "% of requests to the new version", null,
                cid -> new ExecutorCommand.SetMirrorRoute(cid, r.releaseId(), r.target(), r.to(), percent, routing)));
        analyze(steps, "analysis of the mirrored traffic", s.analysis());
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        return canaryLike("shadow", r, routing, steps, s);
    }

    private static Plan apiVersions(ReleaseRequested r, Strategy.ApiVersions s) {
        TrafficRouting routing = routing(s.trafficRouting());
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        gate(steps, s.gates(), Gates.BEFORE_TRAFFIC_INCREASE);
        steps.add(headerRoute(describe(s.match()) + " go to " + r.to().image(), null, r.releaseId(), r.target(),
                r.to(), s.match(), routing));
        analyze(steps, "analysis of the new version", s.analysis());
        steps.add(new PlanStep.Serve("both versions served side by side; retire the old one with action retire"));
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        return canaryLike("apiVersions", r, routing, steps, s);
    }

    private static Plan rolling(ReleaseRequested r, Strategy.Rolling s) {
        String id = r.releaseId();
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        steps.add(new PlanStep.Act("rolling update to " + r.to().image(), null,
                cid -> new ExecutorCommand.RollingUpdate(cid, id, r.target(), r.to(), s.maxSurge(),
                        s.maxUnavailable())));
        analyze(steps, "analysis of the updated pods", s.analysis());
        return new Plan("rolling", List.copyOf(steps), null, r.target() + " runs " + r.to().image()
                + " (rolling update complete)",
                (cid, why) -> new ExecutorCommand.UndoUpdate(cid, id, r.target(), null, why),
                s.progressDeadline(), s.onInconclusive(), null, -1);
    }

    private static Plan recreate(ReleaseRequested r, Strategy.Recreate s) {
        String id = r.releaseId();
        List<PlanStep> steps = new ArrayList<>();
        gate(steps, s.gates(), Gates.BEFORE_ROLLOUT);
        gate(steps, s.gates(), Gates.BEFORE_PROMOTION);
        steps.add(new PlanStep.Act("recreate with " + r.to().image(), null,
                cid -> new ExecutorCommand.RecreateUpdate(cid, id, r.target(), r.to())));
        analyze(steps, "analysis of the new pods", s.analysis());
        return new Plan("recreate", List.copyOf(steps), null, r.target() + " runs " + r.to().image()
                + " (recreated)",
                (cid, why) -> new ExecutorCommand.UndoUpdate(cid, id, r.target(), Boolean.TRUE, why),
                s.progressDeadline(), s.onInconclusive(), null, -1);
    }

    /** A/B, shadow and API versions run a canary Deployment and promote or roll it back like a canary. */
    private static Plan canaryLike(String name, ReleaseRequested r, TrafficRouting routing, List<PlanStep> steps,
            Strategy s) {
        String id = r.releaseId();
        return new Plan(name, List.copyOf(steps),
                cid -> new ExecutorCommand.PromoteCanary(cid, id, r.target(), r.to(), routing), null,
                (cid, why) -> new ExecutorCommand.RollbackCanary(cid, id, r.target(), routing, why),
                s.progressDeadline(), s.onInconclusive(), null, -1);
    }

    private static PlanStep headerRoute(String description, CanaryStep requested, String id, WorkloadRef target,
            VersionSpec to, RouteMatch match, TrafficRouting routing) {
        return new PlanStep.Act(description, requested,
                cid -> new ExecutorCommand.SetHeaderRoute(cid, id, target, to, match, routing));
    }

    private static void analyze(List<PlanStep> steps, String what, AnalysisSpec spec) {
        if (spec != null) {
            steps.add(new PlanStep.Analyze(what + ": " + names(spec.metrics()) + " for " + spec.duration()
                    + warmUp(spec.initialDelay()), null, spec.duration(), spec.metrics(), orZero(spec.failureLimit()),
                    orZero(spec.inconclusiveLimit()), orZero(spec.initialDelay())));
        }
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }

    /** An analysis' {@code initialDelay}: absent means none. */
    static Duration orZero(Duration initialDelay) {
        return initialDelay == null ? Duration.ZERO : initialDelay;
    }

    private static String warmUp(Duration initialDelay) {
        return initialDelay == null || initialDelay.isZero() ? "" : " after a " + initialDelay + " warm-up";
    }

    private static void gate(List<PlanStep> steps, Gates gates, String name) {
        Webhook hook = gates == null ? null : switch (name) {
            case Gates.BEFORE_ROLLOUT -> gates.beforeRollout();
            case Gates.BEFORE_TRAFFIC_INCREASE -> gates.beforeTrafficIncrease();
            case Gates.BEFORE_PROMOTION -> gates.beforePromotion();
            default -> throw new IllegalStateException("unknown gate " + name);
        };
        if (hook != null) {
            steps.add(new PlanStep.Gate("ask gate " + name + " (" + host(hook.url()) + ")", name, hook));
        }
    }

    /** Only the host: webhook URLs often carry tokens, and the event log is widely readable. */
    private static String host(String url) {
        try {
            URI uri = URI.create(url);
            if ("gate".equals(uri.getScheme()) && uri.isOpaque()) {
                return url;
            }
            String host = uri.getHost();
            return host == null ? "webhook" : host;
        } catch (IllegalArgumentException e) {
            return "webhook";
        }
    }

    private static int startingStep(Strategy.Canary s) {
        Integer from = s.backgroundAnalysis().startingStep();
        return from == null ? 0 : from;
    }

    static TrafficRouting routing(TrafficRouting routing) {
        return routing == null ? new TrafficRouting.ReplicaRatio() : routing;
    }

    static List<MetricCheck> withDefaults(List<MetricCheck> metrics) {
        return metrics.stream().map(m -> new MetricCheck(m.name(), m.variant() == null ? Variant.CANARY : m.variant(),
                m.measure(), m.judge(), m.minCount() == null ? 0L : m.minCount(), m.compareTo())).toList();
    }

    private static String names(List<MetricCheck> metrics) {
        return metrics == null ? "" : metrics.stream().map(MetricCheck::name).collect(Collectors.joining(", "));
    }

    private static String describe(CanaryStep.SetCanaryScale s) {
        if (s.replicas() != null) {
            return "scale the canary to " + s.replicas() + " pods";
        }
        if (s.percent() != null) {
            return "scale the canary to " + s.percent() + "% of the target's pods";
        }
        return "size the canary by its traffic weight again";
    }

    static String describe(RouteMatch m) {
        if (m.pathPrefix() != null) {
            return "requests under " + m.pathPrefix();
        }
        if (m.cookie() != null) {
            return "requests with cookie " + m.cookie() + "=always";
        }
        return "requests with header " + m.header() + (Boolean.TRUE.equals(m.regex()) ? " ~ " : " = ") + m.value();
    }
}
