package io.serin.sandbox.traffic;

import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each app's requests go, from the live objects: clients reach an app through its Istio
 * VirtualService if one names its Service as host, else through the HTTPRoutes that lead to its
 * Service, else through the NGINX Ingresses that do, else straight to its Service; the router picks
 * backends per kind of request, and each backend's Service selector picks the pods. An app is a
 * Deployment that is not a copy made by a release, with a Service of the same name.
 */
public final class TrafficModel {

    private final ClientPopulation clients;
    private final double requestsPerSecond;

    /** {@code requestsPerSecond} is each app's client rate. */
    public TrafficModel(ClientPopulation clients, double requestsPerSecond) {
        this.clients = clients;
        this.requestsPerSecond = requestsPerSecond;
    }

    public List<AppTraffic> route(ClusterView view) {
        List<AppTraffic> apps = new ArrayList<>();
        for (Deployment d : view.deployments()) {
            String namespace = d.getMetadata().getNamespace();
            String app = d.getMetadata().getName();
            if (!isRelease(d) && view.service(namespace, app) != null) {
                apps.add(route(view, namespace, app));
            }
        }
        return apps;
    }

    AppTraffic route(ClusterView view, String namespace, String app) {
        Router router = router(view, namespace, app);
        ServiceSplit pods = new ServiceSplit(view);
        Map<String, Double> served = new LinkedHashMap<>();
        Map<String, Double> mirrored = new LinkedHashMap<>();
        double unrouted = 0;
        for (RequestClass request : clients.requests()) {
            double rate = requestsPerSecond * request.share();
            double reached = 0;
            for (Flow flow : router.route(request, rate)) {
                double landed = add(pods, flow.backend(), flow.rate(), namespace, flow.mirrored() ? mirrored : served);
                reached += flow.mirrored() ? 0 : landed;
            }
            unrouted += Math.max(0, rate - reached);
        }
        for (Backend preview : pods.previews(namespace, app)) {
            add(pods, preview, clients.smokeRate(), namespace, served);
        }
        return new AppTraffic(namespace, app, router.describe(), served, mirrored, unrouted);
    }

    private static double add(ServiceSplit pods, Backend backend, double rate, String namespace,
            Map<String, Double> into) {
        if (!backend.namespace().equals(namespace)) {
            return 0;
        }
        double landed = 0;
        for (Map.Entry<String, Double> e : pods.pods(backend, rate).entrySet()) {
            into.merge(e.getKey(), e.getValue(), Double::sum);
            landed += e.getValue();
        }
        return landed;
    }

    static Router router(ClusterView view, String namespace, String app) {
        return IstioSplit.find(view, namespace, app).<Router>map(r -> r)
                .or(() -> GatewayApiSplit.find(view, namespace, app))
                .or(() -> NginxSplit.find(view, namespace, app))
                .orElseGet(() -> new PlainService(namespace, app));
    }

    /** A canary, baseline or green Deployment: it belongs to its target's app. */
    static boolean isRelease(Deployment d) {
        return d.getMetadata().getAnnotations() != null
                && d.getMetadata().getAnnotations().containsKey(ServiceSplit.TARGET_ANNOTATION);
    }
}
