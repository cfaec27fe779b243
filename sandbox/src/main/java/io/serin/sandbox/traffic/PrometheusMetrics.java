package io.serin.sandbox.traffic;

import io.serin.events.Variant;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running totals of every app's requests by variant, in the Prometheus text format (0.0.4), with
 * the names and labels of the analyzer's example queries: {@code http_requests_total},
 * {@code http_request_errors_total} and the histogram {@code http_request_duration_seconds}, each
 * labelled {@code namespace}, {@code workload} (the app) and {@code variant}.
 */
public final class PrometheusMetrics {

    private record Series(String namespace, String workload, String variant) implements Comparable<Series> {
        @Override
        public int compareTo(Series o) {
            return labels().compareTo(o.labels());
        }

        String labels() {
            return "namespace=\"" + escape(namespace) + "\",workload=\"" + escape(workload) + "\",variant=\""
                    + escape(variant) + "\"";
        }
    }

    private static final class Totals {
        long requests;
        long errors;
        long observations;
        final long[] buckets = new long[LatencyModel.BOUNDS.length + 1];
        double seconds;
    }

    private final Map<Series, Totals> totals = new TreeMap<>();

    public synchronized void add(String namespace, String workload, Variant variant, Tally tally) {
        Totals t = totals.computeIfAbsent(new Series(namespace, workload, variant.label()), k -> new Totals());
        t.requests += tally.requests();
        t.errors += tally.errors();
        t.observations += tally.observations();
        for (int i = 0; i < t.buckets.length; i++) {
            t.buckets[i] += tally.buckets()[i];
        }
        t.seconds += tally.latencySeconds();
    }

    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP http_requests_total Requests served, mirrored copies included (simulated).\n");
        out.append("# TYPE http_requests_total counter\n");
        totals.forEach((s, t) -> out.append("http_requests_total{").append(s.labels()).append("} ")
                .append(t.requests).append('\n'));
        out.append("# HELP http_request_errors_total Requests answered with a server error (simulated).\n");
        out.append("# TYPE http_request_errors_total counter\n");
        totals.forEach((s, t) -> out.append("http_request_errors_total{").append(s.labels()).append("} ")
                .append(t.errors).append('\n'));
        out.append("# HELP http_request_duration_seconds Response times (simulated).\n");
        out.append("# TYPE http_request_duration_seconds histogram\n");
        totals.forEach((s, t) -> {
            long below = 0;
            for (int i = 0; i < LatencyModel.BOUNDS.length; i++) {
                below += t.buckets[i];
                out.append("http_request_duration_seconds_bucket{").append(s.labels()).append(",le=\"")
                        .append(bound(LatencyModel.BOUNDS[i])).append("\"} ").append(below).append('\n');
            }
            out.append("http_request_duration_seconds_bucket{").append(s.labels()).append(",le=\"+Inf\"} ")
                    .append(t.observations).append('\n');
            out.append("http_request_duration_seconds_sum{").append(s.labels()).append("} ")
                    .append(String.format(Locale.ROOT, "%.3f", t.seconds)).append('\n');
            out.append("http_request_duration_seconds_count{").append(s.labels()).append("} ")
                    .append(t.observations).append('\n');
        });
        return out.toString();
    }

    private static String bound(double le) {
        return le == Math.rint(le) ? Long.toString((long) le) + ".0" : Double.toString(le);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
