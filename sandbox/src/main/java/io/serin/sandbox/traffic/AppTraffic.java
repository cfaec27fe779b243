package io.serin.sandbox.traffic;

import java.util.Map;

/**
 * One app's requests per second in one tick, per Deployment of its namespace: {@code served} are
 * the clients' requests (and testers' on a preview), {@code mirrored} the copies a shadow gets.
 *
 * @param router   the way clients reach the app, as {@link Router#describe()} says it
 * @param unrouted requests no pod serves (no route matches, no ready pod)
 */
public record AppTraffic(String namespace, String app, String router, Map<String, Double> served,
        Map<String, Double> mirrored, double unrouted) {

    public AppTraffic {
        served = Map.copyOf(served);
        mirrored = Map.copyOf(mirrored);
    }

    /** Everything Deployment {@code name} serves, copies included: its own metrics count both. */
    public double rate(String deployment) {
        return served.getOrDefault(deployment, 0.0) + mirrored.getOrDefault(deployment, 0.0);
    }

    /** E.g. "payment-gateway 900 req/s, payment-gateway-canary 100 req/s + 500 req/s mirrored copies". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        served.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(sb.length() == 0
                ? "" : ", ").append(e.getKey()).append(' ').append(Math.round(e.getValue())).append(" req/s"));
        mirrored.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(sb.length() == 0
                ? "" : ", ").append(e.getKey()).append(" + ").append(Math.round(e.getValue()))
                .append(" req/s mirrored copies"));
        if (unrouted >= 0.5) {
            sb.append(sb.length() == 0 ? "" : ", ").append(Math.round(unrouted)).append(" req/s unanswered");
        }
        return (sb.length() == 0 ? "no requests" : sb) + " (via " + router + ")";
    }
}
