package io.serin.analyzer.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.SourceProblem.Reason;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an answer of Prometheus' instant-query API ({@code /api/v1/query}). Only one finite number
 * is a value: an empty vector is NO_DATA (the series is absent, which is not the same as zero), an
 * error or a non-2xx status is QUERY_ERROR, and several series, NaN or infinity are INVALID_RESULT.
 * A vector whose series all carry {@code le} is a histogram (a {@code sum by (le)} template).
 * Answers of the range-query API ({@code /api/v1/query_range}) are read by {@link #parseRange}.
 */
final class PrometheusResponse {

    private static final int MAX_BODY_IN_DETAIL = 200;

    private PrometheusResponse() {
    }

    static QueryResult parse(int status, String body) {
        Object answer = data(status, body);
        if (answer instanceof QueryResult.Failed failed) {
            return failed;
        }
        JsonNode data = (JsonNode) answer;
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        return switch (type) {
            case "vector" -> vector(result);
            case "scalar" -> number(result.path(1), "scalar");
            default -> invalid("result type '" + type + "'; the query must give an instant vector or a scalar");
        };
    }

    /** The {@code data} of a successful answer, or a {@link QueryResult.Failed}. */
    private static Object data(int status, String body) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return status / 100 == 2 ? invalid("answer is not JSON: " + excerpt(body))
                    : new QueryResult.Failed(Reason.QUERY_ERROR, "Prometheus answered HTTP " + status + ": "
                    + excerpt(body));
        }
        if (status / 100 != 2 || !"success".equals(root.path("status").asText())) {
            return new QueryResult.Failed(Reason.QUERY_ERROR, "Prometheus answered HTTP " + status + " "
                    + root.path("errorType").asText("error") + ": " + root.path("error").asText(excerpt(body)));
        }
        return root.path("data");
    }

    /**
     * Reads an answer of the range-query API ({@code /api/v1/query_range}) evaluated at {@code first},
     * {@code first + step}, ... ({@code count} points): one series, its value per step, null for a
     * step without a point (Prometheus leaves those out) or with one that is no increase (NaN,
     * infinite, negative). An empty matrix, or one whose points are all null, is NO_DATA; several
     * series (a histogram by {@code le} among them) are INVALID_RESULT.
     */
    static RangeResult parseRange(int status, String body, Instant first, Duration step, int count) {
        Object answer = data(status, body);
        if (answer instanceof QueryResult.Failed failed) {
            return new RangeResult.Failed(failed.reason(), failed.detail());
        }
        JsonNode data = (JsonNode) answer;
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        if (!"matrix".equals(type)) {
            return new RangeResult.Failed(Reason.INVALID_RESULT, "result type '" + type
                    + "' of a range query; the query must give an instant vector");
        }
        if (result.isEmpty()) {
            return new RangeResult.Failed(Reason.NO_DATA, "no series matched in any step (empty matrix)");
        }
        if (result.size() > 1) {
            return new RangeResult.Failed(Reason.INVALID_RESULT, result.size() + " series " + labels(result)
                    + "; aggregate to one, e.g. sum(...)");
        }
        List<Double> values = new ArrayList<>(Collections.nCopies(count, (Double) null));
        long firstMs = first.toEpochMilli();
        long stepMs = step.toMillis();
        int found = 0;
        for (JsonNode point : result.get(0).path("values")) {
            double seconds = point.path(0).asDouble(Double.NaN);
            if (!Double.isFinite(seconds)) {
                continue;
            }
            long offset = Math.round(seconds * 1000) - firstMs;
            long index = Math.floorDiv(offset + stepMs / 2, stepMs);
            if (index < 0 || index >= count) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(point.path(1).asText().replace("Inf", "Infinity"));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isFinite(value) && value >= 0) {
                values.set((int) index, value);
                found++;
            }
        }
        if (found == 0) {
            return new RangeResult.Failed(Reason.NO_DATA, "no step has a finite, non-negative value");
        }
        return new RangeResult.Steps(Collections.unmodifiableList(values));
    }

    private static QueryResult vector(JsonNode result) {
        if (result.isEmpty()) {
            return new QueryResult.Failed(Reason.NO_DATA, "no series matched (empty vector)");
        }
        boolean histogram = true;
        for (JsonNode series : result) {
            histogram &= series.path("metric").hasNonNull("le");
        }
        if (!histogram) {
            return result.size() == 1 ? number(result.get(0).path("value").path(1), "value")
                    : invalid(result.size() + " series " + labels(result) + "; aggregate to one, e.g. sum(...), "
                            + "or by (le) for a histogram");
        }
        List<HistogramBucket> buckets = new ArrayList<>();
        Double total = null;
        for (JsonNode series : result) {
            String le = series.path("metric").path("le").asText();
            QueryResult count = number(series.path("value").path(1), "bucket le=" + le);
            if (count instanceof QueryResult.Failed) {
                return count;
            }
            double value = ((QueryResult.Value) count).value();
            double bound;
            try {
                bound = Double.parseDouble(le.replace("Inf", "Infinity"));
            } catch (NumberFormatException e) {
                return invalid("bucket bound le=\"" + le + "\" is not a number");
            }
            if (bound == Double.POSITIVE_INFINITY) {
                total = value;
            } else if (bound > 0) {
                buckets.add(new HistogramBucket(bound, value));
            }
        }
        if (total == null) {
            return invalid("histogram without a le=\"+Inf\" bucket, which holds its total");
        }
        buckets.sort(Comparator.comparingDouble(HistogramBucket::le));
        return new QueryResult.Value(total, List.copyOf(buckets));
    }

    private static QueryResult number(JsonNode text, String what) {
        double value;
        try {
            value = Double.parseDouble(text.asText().replace("Inf", "Infinity"));
        } catch (NumberFormatException e) {
            return invalid(what + " '" + text.asText() + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            return invalid(what + " is " + text.asText() + " (a division by zero, or no samples in the window?)");
        }
        return new QueryResult.Value(value, null);
    }

    private static String labels(JsonNode result) {
        List<String> labels = new ArrayList<>();
        for (JsonNode series : result) {
            labels.add(series.path("metric").toString());
            if (labels.size() == 3) {
                labels.add("...");
                break;
            }
        }
        return labels.toString();
    }

    private static QueryResult invalid(String detail) {
        return new QueryResult.Failed(Reason.INVALID_RESULT, detail);
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > MAX_BODY_IN_DETAIL ? flat.substring(0, MAX_BODY_IN_DETAIL) + "..." : flat;
    }
}
