package io.serin.notifier.notify;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.RawString;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateNode;
import io.quarkus.qute.ValueResolver;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.CloudEvent;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.Variant;
import io.serin.events.Violation;
import io.serin.events.WorkloadRef;
import io.serin.notifier.notify.ChatMessage.Evidence;
import io.serin.notifier.notify.ChatMessage.Fact;
import io.serin.notifier.notify.ChatMessage.Link;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Composes the message for one event and platform: the title and body come from the event type's
 * Qute template ({@code templates/notifier/<type>.txt}, overridable per platform as
 * {@code templates/notifier/<platform>/<type>.txt}); facts, per-metric evidence and links are data
 * the renderers lay out natively.
 *
 * <p>The engine is built here rather than injected so that the same templates render identically in
 * unit tests, in the service and in the documentation examples.
 */
public final class MessageComposer {

    static final String TEMPLATE_ROOT = "templates/notifier/";

    private final Optional<URI> dashboardBaseUrl;
    private final MessageFormatter summaries = new MessageFormatter();
    private final Map<Markup, Engine> engines = new EnumMap<>(Markup.class);
    private final Map<String, Optional<Template>> templates = new ConcurrentHashMap<>();

    /** @param dashboardBaseUrl where release dashboards live; a link per message when present */
    public MessageComposer(Optional<URI> dashboardBaseUrl) {
        this.dashboardBaseUrl = dashboardBaseUrl;
        for (Markup markup : Markup.values()) {
            engines.put(markup, engine(markup));
        }
    }

    public ChatMessage compose(CloudEvent<? extends ReleaseEvent> cloudEvent, ReleaseContext context,
            Platform platform) {
        ReleaseEvent event = cloudEvent.data();
        String type = typeName(event);
        Template template = template(platform, type);
        Map<String, Object> data = data(event, context, platform.markup());
        String title = template.getFragment("title").data(data).render().strip();
        String text = template.data(data).render().strip();
        return new ChatMessage(cloudEvent, Severities.of(event), title, text, summaries.format(event),
                facts(event, context), evidence(event), links(event));
    }

    /** {@code RolledBack} → {@code rolled-back}: the template's file name. */
    static String typeName(ReleaseEvent event) {
        return event.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    private Template template(Platform platform, String type) {
        Markup markup = platform.markup();
        return templates.computeIfAbsent(platform.configName() + "/" + type,
                key -> load(engines.get(markup), TEMPLATE_ROOT + key)
                        .or(() -> load(engines.get(markup), TEMPLATE_ROOT + type))).orElseThrow(
                () -> new IllegalStateException("no template " + TEMPLATE_ROOT + type + ".txt"));
    }

    private static Optional<Template> load(Engine engine, String path) {
        try (InputStream in = MessageComposer.class.getClassLoader().getResourceAsStream(path + ".txt")) {
            return in == null ? Optional.empty()
                    : Optional.of(engine.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + path, e);
        }
    }

    private Map<String, Object> data(ReleaseEvent event, ReleaseContext context, Markup markup) {
        Map<String, Object> data = new HashMap<>();
        WorkloadRef target = target(event, context);
        data.put("md", markup);
        data.put("e", event);
        data.put("release", event.releaseId());
        data.put("target", target == null ? null : target.toString());
        data.put("image", context != null && context.to() != null ? context.to().image() : null);
        data.put("requestedBy", context != null ? context.requestedBy() : null);
        data.put("weight", context != null ? context.canaryWeight() : null);
        data.put("step", null);
        data.put("stepNo", null);
        data.put("violations", List.of());
        data.put("verdict", null);
        data.put("traffic", null);
        data.put("action", null);
        data.put("strategy", null);
        if (event instanceof ReleaseEvent.Accepted a) {
            data.put("image", a.request().to() == null ? null : a.request().to().image());
            data.put("requestedBy", a.request().requestedBy());
            data.put("strategy", describe(a.request()));
        } else if (event instanceof ReleaseEvent.Rejected r) {
            data.put("requestedBy", r.requestedBy());
            data.put("violations", r.violations().stream().map(Violation::toString).toList());
        } else if (event instanceof ReleaseEvent.StepStarted s) {
            data.put("stepNo", (s.stepIndex() + 1) + "/" + s.stepCount());
            data.put("step", s.step() != null ? step(s.step()) : s.description());
        } else if (event instanceof ReleaseEvent.StepCompleted s) {
            data.put("stepNo", (s.stepIndex() + 1) + "/" + s.stepCount());
            data.put("traffic", s.traffic() == null ? null : s.traffic().canaryWeight() + "%");
        } else if (event instanceof ReleaseEvent.AnalysisCompleted a) {
            data.put("verdict", a.verdict().verdict().name());
        } else if (event instanceof ReleaseEvent.PromotionStarted p) {
            data.put("image", p.to() == null ? null : p.to().image());
        } else if (event instanceof ReleaseEvent.Promoted p) {
            data.put("image", p.to() == null ? null : p.to().image());
        } else if (event instanceof ReleaseEvent.Paused p) {
            data.put("stepNo", String.valueOf(p.stepIndex() + 1));
        } else if (event instanceof ReleaseEvent.Resumed r) {
            data.put("stepNo", String.valueOf(r.stepIndex() + 1));
        } else if (event instanceof ReleaseEvent.ActionApplied a) {
            data.put("action", action(a.action()));
            data.put("requestedBy", a.requestedBy());
        } else if (event instanceof ReleaseEvent.ActionRejected a) {
            data.put("action", action(a.action()));
            data.put("requestedBy", a.requestedBy());
        } else if (event instanceof ReleaseEvent.RequestRefused r) {
            data.put("requestedBy", r.requestedBy());
        } else if (event instanceof ReleaseEvent.Queued q) {
            data.put("image", q.request().to() == null ? null : q.request().to().image());
            data.put("requestedBy", q.request().requestedBy());
        }
        return data;
    }

    private List<Fact> facts(ReleaseEvent event, ReleaseContext context) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Release", event.releaseId()));
        WorkloadRef target = target(event, context);
        if (target != null) {
            facts.add(new Fact("Target", target.kind() + " " + target));
        }
        if (context != null && context.to() != null) {
            facts.add(new Fact("Version", context.to().image()));
        }
        if (context != null && context.strategy() != null) {
            facts.add(new Fact("Strategy", context.strategy()
                    + (context.stepCount() == null ? "" : ", " + context.stepCount() + " steps")));
        }
        stepOf(event).ifPresent(step -> facts.add(new Fact("Step", step)));
        Integer weight = event instanceof ReleaseEvent.StepCompleted s && s.traffic() != null
                ? Integer.valueOf(s.traffic().canaryWeight()) : context == null ? null : context.canaryWeight();
        if (weight != null) {
            facts.add(new Fact("Canary weight", weight + "%"));
        }
        if (context != null && context.startedAt() != null && event.occurredAt() != null
                && !event.occurredAt().isBefore(context.startedAt())) {
            facts.add(new Fact("Running for", duration(Duration.between(context.startedAt(), event.occurredAt()))));
        }
        String requestedBy = event instanceof ReleaseEvent.Rejected r ? r.requestedBy()
                : context == null ? null : context.requestedBy();
        if (requestedBy != null) {
            facts.add(new Fact("Requested by", requestedBy));
        }
        return facts;
    }

    private static Optional<String> stepOf(ReleaseEvent event) {
        if (event instanceof ReleaseEvent.StepStarted s) {
            return Optional.of((s.stepIndex() + 1) + " of " + s.stepCount());
        } else if (event instanceof ReleaseEvent.StepCompleted s) {
            return Optional.of((s.stepIndex() + 1) + " of " + s.stepCount());
        } else if (event instanceof ReleaseEvent.AnalysisCompleted a) {
            return Optional.of(String.valueOf(a.stepIndex() + 1));
        } else if (event instanceof ReleaseEvent.Paused p) {
            return Optional.of(String.valueOf(p.stepIndex() + 1));
        } else if (event instanceof ReleaseEvent.Resumed r) {
            return Optional.of(String.valueOf(r.stepIndex() + 1));
        }
        return Optional.empty();
    }

    private static List<Evidence> evidence(ReleaseEvent event) {
        if (!(event instanceof ReleaseEvent.AnalysisCompleted a)) {
            return List.of();
        }
        AnalysisVerdict verdict = a.verdict();
        return verdict.metrics().stream().map(MessageComposer::evidence).toList();
    }

    /** "0.031 > max 0.02 · 31 of 1000 · 12 samples": value against threshold, then the counts behind it. */
    static Evidence evidence(MetricEvidence m) {
        StringBuilder detail = new StringBuilder();
        if (m.value() == null) {
            detail.append(m.reason() != null ? m.reason() : "no data");
        } else {
            detail.append(number(m.value()));
            if (m.max() != null && m.value() > m.max()) {
                detail.append(" > max ").append(number(m.max()));
            } else if (m.min() != null && m.value() < m.min()) {
                detail.append(" < min ").append(number(m.min()));
            } else if (m.max() != null) {
                detail.append(" ≤ max ").append(number(m.max()));
            } else if (m.min() != null) {
                detail.append(" ≥ min ").append(number(m.min()));
            }
        }
        if (m.compareValue() != null) {
            // comparing judges: the other variant's value, the margin and the test's p-value are the why
            detail.append(" vs ").append(variantName(m.compareTo())).append(' ').append(number(m.compareValue()));
            if (m.margin() != null) {
                detail.append(" (allowed up to ").append(number(1 + m.margin())).append("×)");
            }
            if (m.pValue() != null) {
                detail.append(" · p ").append(number(m.pValue()));
            }
        }
        if (m.numerator() != null && m.denominator() != null) {
            detail.append(" · ").append(number(m.numerator())).append(" of ").append(number(m.denominator()));
        }
        if (m.compareNumerator() != null && m.compareDenominator() != null) {
            detail.append(" vs ").append(number(m.compareNumerator())).append(" of ")
                    .append(number(m.compareDenominator()));
        }
        detail.append(" · ").append(m.samples()).append(m.samples() == 1 ? " sample" : " samples");
        String metric = m.variant() == null || m.variant() == Variant.CANARY ? m.name()
                : m.name() + " (" + m.variant().name().toLowerCase() + ")";
        return new Evidence(metric, m.verdict() == null ? "UNKNOWN" : m.verdict().name(), detail.toString());
    }

    private static String variantName(Variant variant) {
        return variant == null ? "stable" : variant.label();
    }

    private List<Link> links(ReleaseEvent event) {
        return dashboardBaseUrl.map(base -> List.of(new Link("Release dashboard", URI.create(
                        base.toString().replaceAll("/+$", "") + "/releases/"
                                + URLEncoder.encode(event.releaseId(), StandardCharsets.UTF_8)))))
                .orElse(List.of());
    }

    private static WorkloadRef target(ReleaseEvent event, ReleaseContext context) {
        if (event instanceof ReleaseEvent.Accepted a) {
            return a.request().target();
        } else if (event instanceof ReleaseEvent.Queued q) {
            return q.request().target();
        } else if (event instanceof ReleaseEvent.Rejected) {
            return null;
        } else if (event instanceof ReleaseEvent.StepStarted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.StepCompleted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.AnalysisCompleted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.PromotionStarted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.Promoted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.RollbackStarted e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.RolledBack e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.Failed e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.Paused e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.Resumed e) {
            return e.target();
        } else if (event instanceof ReleaseEvent.ActionApplied || event instanceof ReleaseEvent.ActionRejected
                || event instanceof ReleaseEvent.RequestRefused) {
            return context == null ? null : context.target();
        }
        throw new IllegalArgumentException("no target for " + event.getClass().getName());
    }

    /** The workload an event is about, from the event or else from what the request said. */
    public static WorkloadRef targetOf(ReleaseEvent event, ReleaseContext context) {
        WorkloadRef target = target(event, context);
        return target != null ? target : context == null ? null : context.target();
    }

    private static String describe(ReleaseRequested request) {
        if (request.strategy() instanceof Strategy.Canary c && c.steps() != null) {
            return "as a canary in " + c.steps().size() + (c.steps().size() == 1 ? " step" : " steps");
        }
        return request.strategy() == null ? null : "strategy " + ReleaseContext.strategyName(request.strategy());
    }

    private static String action(ReleaseAction action) {
        return action == null ? "an operator action" : action.name().toLowerCase().replace('_', ' ');
    }

    static String describeStep(CanaryStep step) {
        return step(step);
    }

    private static String step(CanaryStep step) {
        if (step instanceof CanaryStep.Pause p) {
            return p.duration() == null ? "pause until an operator promotes" : "pause for " + duration(p.duration());
        } else if (step instanceof CanaryStep.SetWeight s) {
            return "shift " + s.weight() + "% of traffic to the canary";
        } else if (step instanceof CanaryStep.Analysis a) {
            return "analyse " + String.join(", ", a.metrics().stream().map(MetricCheck::name).toList())
                    + " for " + duration(a.duration());
        } else if (step instanceof CanaryStep.SetCanaryScale s) {
            return s.replicas() != null ? "scale the canary to " + s.replicas() + " pods"
                    : s.percent() != null ? "scale the canary to " + s.percent() + "% of the stable pods"
                    : "size the canary by its traffic share again";
        } else if (step instanceof CanaryStep.SetHeaderRoute h) {
            return "send requests matching " + match(h.match()) + " to the canary";
        } else if (step instanceof CanaryStep.SetMirrorRoute m) {
            return "mirror " + m.percent() + "% of requests to the canary";
        }
        throw new IllegalArgumentException("no description for step " + step.getClass().getName());
    }

    private static String match(io.serin.events.RouteMatch m) {
        if (m == null) {
            return "?";
        }
        if (m.pathPrefix() != null) {
            return "path " + m.pathPrefix() + "*";
        }
        return m.cookie() != null ? "cookie " + m.cookie() + "=always" : "header " + m.header() + "=" + m.value();
    }

    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return new BigDecimal(d).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** 4m 10s, 1h 2m, 45s. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        } else if (s >= 60) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return s + "s";
    }

    private static Engine engine(Markup markup) {
        return Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
                .addValueResolver(ValueResolver.builder()
                        .appliesTo(ctx -> ctx.getBase() instanceof Markup && ctx.getParams().size() >= 1)
                        .resolveAsync(ctx -> {
                            Markup md = (Markup) ctx.getBase();
                            List<CompletableFuture<Object>> args = ctx.getParams().stream()
                                    .map(p -> ctx.evaluate(p).toCompletableFuture()).toList();
                            return CompletableFuture.allOf(args.toArray(CompletableFuture[]::new))
                                    .thenApply(ignored -> markup(md, ctx.getName(), args.stream()
                                            .map(CompletableFuture::join).toList()));
                        }).build())
                .addResultMapper(new ResultMapper() {
                    @Override
                    public boolean appliesTo(TemplateNode.Origin origin, Object result) {
                        return !(result instanceof RawString);
                    }

                    @Override
                    public String map(Object result, Expression expression) {
                        return markup.escape(result.toString());
                    }
                })
                .build();
    }

    private static Object markup(Markup md, String function, List<Object> args) {
        String first = String.valueOf(args.get(0));
        return new RawString(switch (function) {
            case "b" -> md.bold(first);
            case "code" -> md.code(first);
            case "link" -> md.link(String.valueOf(args.get(1)), URI.create(first));
            default -> throw new IllegalArgumentException("unknown markup function md." + function);
        });
    }

}
