package io.serin.planner.plan;

import io.serin.events.AnalysisSpec;
import io.serin.events.CanaryStep;
import io.serin.events.Gates;
import io.serin.events.Limits;
import io.serin.events.RouteMatch;
import io.serin.events.Strategy;
import io.serin.events.TrafficRouting;
import io.serin.events.Violation;
import io.serin.events.Webhook;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The field rules of each strategy, beside {@link RequestValidator}'s rules for what all share. */
final class StrategyRules {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern INT_OR_PERCENT = Pattern.compile("[0-9]{1,9}%?");

    private StrategyRules() {
    }

    static void validate(Strategy strategy, RequestValidator common, List<Violation> v) {
        Bounds.duration(strategy.progressDeadline(), Limits.MAX_PROGRESS_DEADLINE, "strategy.progressDeadline", v);
        gates(strategy.gates(), v);
        if (strategy instanceof Strategy.Canary s) {
            common.validateCanary(s, v);
        } else if (strategy instanceof Strategy.BlueGreen s) {
            service(s.activeService(), "strategy.activeService", v);
            service(s.previewService(), "strategy.previewService", v);
            if (s.activeService() != null && s.activeService().equals(s.previewService())) {
                v.add(new Violation("strategy.previewService", "must differ from the active Service"));
            }
            optionalAnalysis(common, s.prePromotionAnalysis(), "strategy.prePromotionAnalysis", v);
            optionalAnalysis(common, s.postPromotionAnalysis(), "strategy.postPromotionAnalysis", v);
            notNegative(s.autoPromotionSeconds(), "strategy.autoPromotionSeconds", v);
            notNegative(s.scaleDownDelaySeconds(), "strategy.scaleDownDelaySeconds", v);
            if (Boolean.TRUE.equals(s.manualPromotion()) && s.autoPromotionSeconds() != null) {
                v.add(new Violation("strategy.autoPromotionSeconds", "contradicts manualPromotion; set one of them"));
            }
        } else if (strategy instanceof Strategy.AbTest s) {
            routed(s.trafficRouting(), v);
            matchRoute(s.trafficRouting(), "strategy.trafficRouting", v);
            match(s.match(), "strategy.match", false, v);
            analysis(common, s.analysis(), "strategy.analysis", v);
            if (s.iterations() != null && (s.iterations() < 1 || s.iterations() > 100)) {
                v.add(new Violation("strategy.iterations", "must be between 1 and 100 (was " + s.iterations() + ")"));
            }
        } else if (strategy instanceof Strategy.Shadow s) {
            routed(s.trafficRouting(), v);
            mirrorRoute(s.trafficRouting(), "strategy.trafficRouting", v);
            percent(s.mirrorPercent(), "strategy.mirrorPercent", false, v);
            analysis(common, s.analysis(), "strategy.analysis", v);
        } else if (strategy instanceof Strategy.ApiVersions s) {
            routed(s.trafficRouting(), v);
            matchRoute(s.trafficRouting(), "strategy.trafficRouting", v);
            match(s.match(), "strategy.match", true, v);
            optionalAnalysis(common, s.analysis(), "strategy.analysis", v);
        } else if (strategy instanceof Strategy.Rolling s) {
            intOrPercent(s.maxSurge(), "strategy.maxSurge", v);
            intOrPercent(s.maxUnavailable(), "strategy.maxUnavailable", v);
            if (zero(s.maxSurge()) && zero(s.maxUnavailable())) {
                v.add(new Violation("strategy.maxUnavailable", "may not be 0 when maxSurge is 0: the rollout "
                        + "could never make progress"));
            }
            optionalAnalysis(common, s.analysis(), "strategy.analysis", v);
        } else if (strategy instanceof Strategy.Recreate s) {
            optionalAnalysis(common, s.analysis(), "strategy.analysis", v);
        } else {
            throw new IllegalStateException("unhandled strategy " + strategy.getClass());
        }
    }

    static void canaryScale(CanaryStep.SetCanaryScale scale, TrafficRouting routing, String field,
            List<Violation> v) {
        int set = (scale.replicas() != null ? 1 : 0) + (scale.percent() != null ? 1 : 0)
                + (scale.matchTrafficWeight() != null ? 1 : 0);
        if (set != 1) {
            v.add(new Violation(field, "needs exactly one of replicas, percent and matchTrafficWeight"));
        }
        // a routed canary without pods would fail every request routed to it
        if (scale.replicas() != null && scale.replicas() < 1) {
            v.add(new Violation(field + ".replicas", "must be at least 1 (was " + scale.replicas() + ")"));
        }
        if (scale.percent() != null && (scale.percent() < 1 || scale.percent() > 100)) {
            v.add(new Violation(field + ".percent", "must be between 1 and 100 (was " + scale.percent() + ")"));
        }
        if (Boolean.FALSE.equals(scale.matchTrafficWeight())) {
            v.add(new Violation(field + ".matchTrafficWeight", "can only be true"));
        }
        if (routing == null || routing instanceof TrafficRouting.ReplicaRatio) {
            v.add(new Violation(field, "needs istio, gatewayApi or nginx routing: with replicaRatio the pod count "
                    + "is the traffic share"));
        }
    }

    /** Routers that can send matched requests to the new version. */
    static void matchRoute(TrafficRouting routing, String field, List<Violation> v) {
        if (routing == null || routing instanceof TrafficRouting.ReplicaRatio) {
            v.add(new Violation(field, "must be istio, gatewayApi or nginx to route matched requests: "
                    + "replicaRatio can only split by pod count"));
        }
    }

    /** Routers that can mirror. */
    static void mirrorRoute(TrafficRouting routing, String field, List<Violation> v) {
        if (!(routing instanceof TrafficRouting.Istio) && !(routing instanceof TrafficRouting.GatewayApi)) {
            v.add(new Violation(field, "must be istio or gatewayApi to mirror requests"));
        }
    }

    static void match(RouteMatch m, String field, boolean pathAllowed, List<Violation> v) {
        if (m == null) {
            v.add(new Violation(field, "is required"));
            return;
        }
        int set = (m.header() != null ? 1 : 0) + (m.cookie() != null ? 1 : 0) + (m.pathPrefix() != null ? 1 : 0);
        if (set != 1) {
            v.add(new Violation(field, "needs exactly one of header, cookie" + (pathAllowed ? " and pathPrefix" : "")));
        }
        if (m.header() != null && RequestValidator.blank(m.value())) {
            v.add(new Violation(field + ".value", "is required with header"));
        }
        if (m.pathPrefix() != null && !pathAllowed) {
            v.add(new Violation(field + ".pathPrefix", "is only for apiVersions releases"));
        } else if (m.pathPrefix() != null && (!m.pathPrefix().startsWith("/") || m.pathPrefix().length() < 2)) {
            v.add(new Violation(field + ".pathPrefix", "must start with '/' and name a path, e.g. /v2 (was '"
                    + m.pathPrefix() + "')"));
        }
    }

    static void percent(Integer p, String field, boolean required, List<Violation> v) {
        if (p == null) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
        } else if (p < 1 || p > 100) {
            v.add(new Violation(field, "must be between 1 and 100 (was " + p + ")"));
        }
    }

    private static void routed(TrafficRouting routing, List<Violation> v) {
        if (routing == null) {
            v.add(new Violation("strategy.trafficRouting", "is required"));
        } else {
            RequestValidator.validateRouting(routing, v);
        }
    }

    private static void analysis(RequestValidator common, AnalysisSpec a, String field, List<Violation> v) {
        if (a == null) {
            v.add(new Violation(field, "is required"));
        } else {
            optionalAnalysis(common, a, field, v);
        }
    }

    private static void optionalAnalysis(RequestValidator common, AnalysisSpec a, String field, List<Violation> v) {
        if (a != null) {
            common.validateAnalysis(a.duration(), a.metrics(), field, v);
            RequestValidator.initialDelay(a.initialDelay(), field, v);
            limits(a.failureLimit(), a.inconclusiveLimit(), field, v);
        }
    }

    static void limits(Integer failureLimit, Integer inconclusiveLimit, String field, List<Violation> v) {
        limit(failureLimit, field + ".failureLimit", v);
        limit(inconclusiveLimit, field + ".inconclusiveLimit", v);
    }

    private static void limit(Integer n, String field, List<Violation> v) {
        if (n != null && (n < 0 || n > 100)) {
            v.add(new Violation(field, "must be between 0 and 100 (was " + n + ")"));
        }
    }

    private static void gates(Gates gates, List<Violation> v) {
        if (gates != null) {
            webhook(gates.beforeRollout(), "strategy.gates." + Gates.BEFORE_ROLLOUT, v);
            webhook(gates.beforeTrafficIncrease(), "strategy.gates." + Gates.BEFORE_TRAFFIC_INCREASE, v);
            webhook(gates.beforePromotion(), "strategy.gates." + Gates.BEFORE_PROMOTION, v);
        }
    }

    private static void webhook(Webhook hook, String field, List<Violation> v) {
        if (hook == null) {
            return;
        }
        Bounds.text(hook.url(), field + ".url", v);
        if (RequestValidator.blank(hook.url())) {
            v.add(new Violation(field + ".url", "is required"));
        } else {
            try {
                URI uri = URI.create(hook.url());
                if ("gate".equals(uri.getScheme())) {
                    // a gate named in the executor's configuration, whose URL (and secret) never travels here
                    if (!uri.isOpaque() || !DNS_LABEL.matcher(uri.getSchemeSpecificPart()).matches()) {
                        v.add(new Violation(field + ".url", "a named gate is written gate:<name> (a DNS label)"));
                    }
                } else if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        || uri.getHost() == null) {
                    v.add(new Violation(field + ".url", "must be an http or https URL with a host, or gate:<name> "
                            + "for a gate named in the executor's configuration"));
                }
            } catch (IllegalArgumentException e) {
                v.add(new Violation(field + ".url", "is not a URL"));
            }
        }
        Bounds.duration(hook.timeout(), Limits.MAX_GATE_TIMEOUT, field + ".timeout", v);
        Bounds.duration(hook.retryInterval(), Limits.MAX_GATE_RETRY_INTERVAL, field + ".retryInterval", v);
    }

    private static void service(String name, String field, List<Violation> v) {
        if (name != null && !DNS_LABEL.matcher(name).matches()) {
            v.add(new Violation(field, "is not a valid Service name"));
        }
    }


    private static void notNegative(Integer n, String field, List<Violation> v) {
        if (n != null && n < 0) {
            v.add(new Violation(field, "must not be negative (was " + n + ")"));
        }
    }

    private static void intOrPercent(String value, String field, List<Violation> v) {
        if (value != null && (!INT_OR_PERCENT.matcher(value).matches()
                || value.endsWith("%") && Integer.parseInt(value.substring(0, value.length() - 1)) > 100)) {
            v.add(new Violation(field, "must be a number of pods or a percentage up to 100%, e.g. 1 or 25% (was '"
                    + value + "')"));
        }
    }

    private static boolean zero(String value) {
        return value != null && (value.equals("0") || value.equals("0%"));
    }
}
