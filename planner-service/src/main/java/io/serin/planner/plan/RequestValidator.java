package io.serin.planner.plan;

import io.serin.events.CanaryStep;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.Limits;
import io.serin.events.MetricCheck;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Violation;
import io.serin.events.WorkloadRef;
import io.serin.events.policy.ImagePolicy;
import io.serin.events.policy.NamespacePolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a release request field by field and names every problem, so the requester can fix them
 * all at once. Only requests without violations start a release. Not final: tests model a gap in
 * validation with a subclass, to prove that what validation misses still cannot stop the planner.
 */
public class RequestValidator {

    /** Release ids become label values: at most 63 characters, alphanumerics, '-', '_' and '.'. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final NamespacePolicy namespaces;
    private final ImagePolicy images;

    /**
     * @param namespaces where releases may deploy (the executor applies the same policy again)
     * @param images     what they may deploy
     */
    public RequestValidator(NamespacePolicy namespaces, ImagePolicy images) {
        this.namespaces = namespaces;
        this.images = images;
    }

    public List<Violation> validate(ReleaseRequested request, String recordKey) {
        List<Violation> v = new ArrayList<>();
        if (blank(request.releaseId())) {
            v.add(new Violation("releaseId", "is required"));
        } else if (!LABEL_VALUE.matcher(request.releaseId()).matches()) {
            v.add(new Violation("releaseId", "must be a valid label value (≤ 63 characters: letters, digits, "
                    + "'-', '_', '.'; start and end alphanumeric)"));
        } else if (recordKey != null && !recordKey.equals(request.releaseId())) {
            v.add(new Violation("releaseId", "'" + request.releaseId() + "' differs from the record key '"
                    + recordKey + "'"));
        }
        validateTarget(request.target(), v);
        if (request.to() == null) {
            v.add(new Violation("to", "is required"));
        } else if (blank(request.to().image())) {
            v.add(new Violation("to.image", "is required"));
        } else {
            Bounds.text(request.to().image(), "to.image", v);
            images.whyNot(request.to().image()).ifPresent(why -> v.add(new Violation("to.image", why)));
        }
        Bounds.text(request.requestedBy(), "requestedBy", v);
        if (request.strategy() == null) {
            v.add(new Violation("strategy", "is required"));
        } else {
            StrategyRules.validate(request.strategy(), this, v);
        }
        return v;
    }

    private void validateTarget(WorkloadRef target, List<Violation> v) {
        if (target == null) {
            v.add(new Violation("target", "is required"));
            return;
        }
        if (!WorkloadRef.DEPLOYMENT.equals(target.kind())) {
            v.add(new Violation("target.kind", "must be 'Deployment' (was '" + target.kind() + "')"));
        }
        if (blank(target.namespace())) {
            v.add(new Violation("target.namespace", "is required"));
        } else if (!DNS_LABEL.matcher(target.namespace()).matches()) {
            v.add(new Violation("target.namespace", "is not a valid namespace name"));
        } else {
            namespaces.whyNot(target.namespace()).ifPresent(why -> v.add(new Violation("target.namespace", why)));
        }
        if (blank(target.name())) {
            v.add(new Violation("target.name", "is required"));
        } else if (!DNS_SUBDOMAIN.matcher(target.name()).matches() || target.name().length() > 240) {
            // room for the "-canary" suffix within Kubernetes' 253-character name limit
            v.add(new Violation("target.name", "is not a valid Deployment name"));
        }
    }

    void validateCanary(Strategy.Canary canary, List<Violation> v) {
        validateRouting(canary.trafficRouting(), v);
        List<CanaryStep> steps = canary.steps();
        if (steps == null || steps.isEmpty()) {
            v.add(new Violation("strategy.steps", "must list at least one step"));
            return;
        }
        Bounds.count(steps, Limits.MAX_STEPS, "strategy.steps", v);
        int lastWeight = 0;
        for (int i = 0; i < steps.size(); i++) {
            String field = "strategy.steps[" + i + "]";
            CanaryStep step = steps.get(i);
            if (step == null) {
                v.add(new Violation(field, "is null"));
            } else if (step instanceof CanaryStep.SetWeight setWeight) {
                Integer w = setWeight.weight();
                if (w == null) {
                    v.add(new Violation(field + ".weight", "is required"));
                } else if (w < 1 || w > 99) {
                    v.add(new Violation(field + ".weight", "must be between 1 and 99 (was " + w
                            + "); 100% is reached by promotion after the last step"));
                } else if (w <= lastWeight) {
                    v.add(new Violation(field + ".weight", "must be greater than the previous weight " + lastWeight
                            + " (was " + w + ")"));
                } else {
                    lastWeight = w;
                }
            } else if (step instanceof CanaryStep.Analysis analysis) {
                validateAnalysis(analysis.duration(), analysis.metrics(), field, v);
                initialDelay(analysis.initialDelay(), field, v);
                StrategyRules.limits(analysis.failureLimit(), analysis.inconclusiveLimit(), field, v);
            } else if (step instanceof CanaryStep.Pause pause) {
                if (pause.duration() != null && (pause.duration().isNegative() || pause.duration().isZero()
                        || pause.duration().compareTo(Limits.MAX_PAUSE) > 0)) {
                    v.add(new Violation(field + ".duration", "must be positive and at most " + Limits.MAX_PAUSE
                            + ", or absent to wait for an operator (was " + pause.duration() + ")"));
                }
            } else if (step instanceof CanaryStep.SetCanaryScale scale) {
                StrategyRules.canaryScale(scale, canary.trafficRouting(), field, v);
            } else if (step instanceof CanaryStep.SetHeaderRoute header) {
                StrategyRules.matchRoute(canary.trafficRouting(), "strategy.trafficRouting", v);
                StrategyRules.match(header.match(), field + ".match", false, v);
            } else if (step instanceof CanaryStep.SetMirrorRoute mirror) {
                StrategyRules.mirrorRoute(canary.trafficRouting(), "strategy.trafficRouting", v);
                StrategyRules.percent(mirror.percent(), field + ".percent", true, v);
            } else {
                throw new IllegalStateException("unhandled step " + step.getClass());
            }
        }
        if (Boolean.TRUE.equals(canary.baseline()) && canary.trafficRouting() instanceof TrafficRouting.Nginx) {
            v.add(new Violation("strategy.baseline", "NGINX canary annotations split traffic two ways only; "
                    + "a baseline needs replicaRatio, istio or gatewayApi routing"));
        }
        if (canary.backgroundAnalysis() != null) {
            var bg = canary.backgroundAnalysis();
            if (bg.startingStep() != null && (bg.startingStep() < 0 || bg.startingStep() >= steps.size())) {
                v.add(new Violation("strategy.backgroundAnalysis.startingStep", "must be the index of a step, 0 to "
                        + (steps.size() - 1) + " (was " + bg.startingStep() + ")"));
            }
            validateAnalysis(bg.duration(), bg.metrics(), "strategy.backgroundAnalysis", v);
            initialDelay(bg.initialDelay(), "strategy.backgroundAnalysis", v);
        }
    }

    /** An analysis' warm-up: absent (none), zero, or positive up to {@link Limits#MAX_INITIAL_DELAY}. */
    static void initialDelay(Duration d, String field, List<Violation> v) {
        Bounds.delay(d, Limits.MAX_INITIAL_DELAY, field + ".initialDelay", v);
    }

    void validateAnalysis(Duration d, List<MetricCheck> metrics, String field, List<Violation> v) {
        if (d == null) {
            v.add(new Violation(field + ".duration", "is required"));
        } else if (d.isNegative() || d.isZero() || d.compareTo(Limits.MAX_ANALYSIS) > 0) {
            v.add(new Violation(field + ".duration", "must be positive and at most " + Limits.MAX_ANALYSIS + " (was " + d + ")"));
        }
        if (metrics == null || metrics.isEmpty()) {
            v.add(new Violation(field + ".metrics", "must list at least one metric"));
            return;
        }
        Bounds.count(metrics, Limits.MAX_METRICS, field + ".metrics", v);
        for (int m = 0; m < metrics.size(); m++) {
            validateMetric(metrics.get(m), field + ".metrics[" + m + "]", v);
        }
    }

    private void validateMetric(MetricCheck metric, String field, List<Violation> v) {
        if (metric == null) {
            v.add(new Violation(field, "is null"));
            return;
        }
        if (blank(metric.name())) {
            v.add(new Violation(field + ".name", "is required"));
        }
        Bounds.text(metric.name(), field + ".name", v);
        if (metric.measure() == null) {
            v.add(new Violation(field + ".measure", "is required"));
        } else {
            validateMeasure(metric.measure(), field + ".measure", v);
        }
        if (metric.judge() == null) {
            v.add(new Violation(field + ".judge", "is required"));
        } else {
            validateJudge(metric.judge(), field + ".judge", v);
        }
        if (metric.minCount() != null && metric.minCount() < 0) {
            v.add(new Violation(field + ".minCount", "must not be negative"));
        }
    }

    private static void validateMeasure(Measure measure, String field, List<Violation> v) {
        if (measure instanceof Measure.Ratio ratio) {
            required(ratio.numerator(), field + ".numerator", v);
            required(ratio.denominator(), field + ".denominator", v);
        } else if (measure instanceof Measure.Mean mean) {
            required(mean.metric(), field + ".metric", v);
        } else if (measure instanceof Measure.Latency latency) {
            required(latency.metric(), field + ".metric", v);
            if (latency.quantile() != null && !(latency.quantile() > 0 && latency.quantile() < 1)) {
                v.add(new Violation(field + ".quantile", "must be between 0 and 1 exclusive (was " + latency.quantile()
                        + ")"));
            }
        } else {
            throw new IllegalStateException("unhandled measure " + measure.getClass());
        }
    }

    private static void validateJudge(Judge judge, String field, List<Violation> v) {
        if (judge instanceof Judge.Threshold t) {
            Bounds.finite(t.min(), field + ".min", v);
            Bounds.finite(t.max(), field + ".max", v);
            if (t.min() == null && t.max() == null) {
                v.add(new Violation(field, "needs min, max or both"));
            } else if (t.min() != null && t.max() != null && t.min() > t.max()) {
                v.add(new Violation(field + ".min", "must not exceed max"));
            }
        } else if (judge instanceof Judge.Sequential sequential) {
            probability(sequential.alpha(), field + ".alpha", 0.5, v);
            probability(sequential.beta(), field + ".beta", 0.5, v);
            if (sequential.margin() != null && !(sequential.margin() > 0 && sequential.margin() < 1e6)) {
                v.add(new Violation(field + ".margin", "must be positive (was " + sequential.margin() + ")"));
            }
            Double negligible = sequential.negligibleRate();
            if (negligible != null && !(negligible >= 0 && negligible < 1)) {
                v.add(new Violation(field + ".negligibleRate", "must lie in [0, 1) (was " + negligible + ")"));
            }
        } else if (judge instanceof Judge.Comparison comparison) {
            Bounds.finite(comparison.allowedChange(), field + ".allowedChange", v);
            if (comparison.allowedChange() != null && comparison.allowedChange() < 0) {
                v.add(new Violation(field + ".allowedChange", "must not be negative (was "
                        + comparison.allowedChange() + ")"));
            }
        } else if (judge instanceof Judge.MannWhitney mannWhitney) {
            if (mannWhitney.confidence() != null && !(mannWhitney.confidence() > 0.5 && mannWhitney.confidence() < 1)) {
                v.add(new Violation(field + ".confidence", "must be between 0.5 and 1 exclusive (was "
                        + mannWhitney.confidence() + ")"));
            }
        } else {
            throw new IllegalStateException("unhandled judge " + judge.getClass());
        }
    }

    static void validateRouting(TrafficRouting routing, List<Violation> v) {
        String field = "strategy.trafficRouting";
        if (routing == null || routing instanceof TrafficRouting.ReplicaRatio) {
            return;
        }
        if (routing instanceof TrafficRouting.Istio istio) {
            required(istio.virtualService(), field + ".virtualService", v);
            required(istio.destinationRule(), field + ".destinationRule", v);
        } else if (routing instanceof TrafficRouting.GatewayApi gatewayApi) {
            required(gatewayApi.httpRoute(), field + ".httpRoute", v);
        } else if (routing instanceof TrafficRouting.Nginx nginx) {
            required(nginx.ingress(), field + ".ingress", v);
        } else {
            throw new IllegalStateException("unhandled routing " + routing.getClass());
        }
    }

    private static void probability(Double p, String field, double max, List<Violation> v) {
        if (p != null && !(p > 0 && p <= max)) {
            v.add(new Violation(field, "must be in (0, " + max + "] (was " + p + ")"));
        }
    }

    static void required(String value, String field, List<Violation> v) {
        if (blank(value)) {
            v.add(new Violation(field, "is required"));
        }
        Bounds.text(value, field, v);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
