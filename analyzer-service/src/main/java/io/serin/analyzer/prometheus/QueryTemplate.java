package io.serin.analyzer.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL template of one metric, like Flagger's MetricTemplate: written once by an operator,
 * filled per release, variant and window. Variables are {@code {{namespace}} {{workload}}
 * {{variant}} {{window}} {{release}}} (spaces inside the braces allowed). Values other than the
 * window are escaped for a PromQL string literal, since templates put them in label matchers
 * ({@code variant="{{variant}}"}) and a release id is whatever the requester chose.
 */
final class QueryTemplate {

    static final Set<String> VARIABLES = Set.of("namespace", "workload", "variant", "window", "release");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private final String metric;
    private final String text;

    private QueryTemplate(String metric, String text) {
        this.metric = metric;
        this.text = text;
    }

    /**
     * Checks the template once, at start-up, so a typo fails the deployment rather than every query.
     *
     * @throws IllegalArgumentException naming the metric and the problem
     */
    static QueryTemplate parse(String metric, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Prometheus template of metric '" + metric + "' is empty");
        }
        List<String> unknown = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                unknown.add(m.group());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Prometheus template of metric '" + metric + "' uses unknown variables "
                    + unknown + "; known: " + VARIABLES.stream().sorted().map(v -> "{{" + v + "}}").toList());
        }
        if (VARIABLE.matcher(text).replaceAll("").contains("{{")) {
            throw new IllegalArgumentException("Prometheus template of metric '" + metric
                    + "' has a '{{' that opens no variable: " + text);
        }
        return new QueryTemplate(metric, text);
    }

    String metric() {
        return metric;
    }

    /** The query for one variant of one release over the window ending at the evaluation time. */
    String render(String namespace, String workload, String variant, Duration window, String release) {
        Map<String, String> values = Map.of("namespace", escape(namespace), "workload", escape(workload),
                "variant", escape(variant), "window", duration(window), "release", escape(release));
        return VARIABLE.matcher(text).replaceAll(r -> Matcher.quoteReplacement(values.get(r.group(1))));
    }

    /** A PromQL duration: {@code 30s}, {@code 1m30s}, {@code 1s500ms}. */
    static String duration(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a PromQL window must be positive, got " + d);
        }
        long ms = d.toMillis();
        StringBuilder out = new StringBuilder();
        long[] units = {3_600_000, 60_000, 1_000, 1};
        String[] names = {"h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                out.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return out.isEmpty() ? "1ms" : out.toString();
    }

    private static String escape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
