package io.serin.executor.k8s;

import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.Percent;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.DestinationRuleBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.serin.events.FailureReason;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.Canaries;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.RouteReconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio: weights between the DestinationRule subsets {@code stable}, {@code canary} and, with a
 * baseline, {@code baseline} (selected by {@code serin.io/variant}) in the managed HTTP routes of a
 * VirtualService; header routes as HTTP routes named {@code serin-header-<n>} and path routes as
 * {@code serin-path-<prefix>-<n>}, placed just before the n-th managed route; mirroring with
 * {@code mirror} and {@code mirrorPercentage}. Nothing else in either object changes.
 */
final class IstioRoutes implements RouteReconciler {

    private final KubernetesClient client;
    private final KubeCalls calls;
    private final Patches patches;
    private final IstioRequestRoutes requestRoutes;
    private final TrafficRouting.Istio config;
    private final String namespace;
    private final String host;
    private final String releaseId;

    IstioRoutes(KubernetesClient client, KubeCalls calls, TrafficRouting.Istio config, WorkloadRef target,
            String releaseId) {
        if (config.virtualService() == null || config.destinationRule() == null) {
            throw new ExecutionFailure(FailureReason.INVALID, "istio routing needs virtualService and destinationRule");
        }
        this.client = client;
        this.calls = calls;
        this.patches = new Patches(client, calls);
        this.requestRoutes = new IstioRequestRoutes(client.getKubernetesSerialization());
        this.config = config;
        this.namespace = target.namespace();
        this.host = config.host() == null ? Canaries.stableServiceName(target) : config.host();
        this.releaseId = releaseId;
    }

    @Override
    public String describe() {
        return "Istio VirtualService " + namespace + "/" + config.virtualService();
    }

    @Override
    public boolean routesByService() {
        return false;
    }

    @Override
    public boolean splitsThreeWays() {
        return true;
    }

    private Resource<VirtualService> virtualService() {
        return client.resources(VirtualService.class).inNamespace(namespace).withName(config.virtualService());
    }

    private Resource<DestinationRule> destinationRule() {
        return client.resources(DestinationRule.class).inNamespace(namespace).withName(config.destinationRule());
    }

    /** The subsets stable and canary (and baseline), selected by variant; other subsets and fields stay. */
    @Override
    public void prepare(boolean baseline) {
        List<String> variants = baseline ? List.of(Canaries.STABLE, Canaries.CANARY, Canaries.BASELINE)
                : List.of(Canaries.STABLE, Canaries.CANARY);
        String what = "DestinationRule " + namespace + "/" + config.destinationRule();
        DestinationRule existing = calls.call("read " + what, () -> destinationRule().get());
        if (existing == null) {
            DestinationRule created = new DestinationRuleBuilder()
                    .withNewMetadata().withName(config.destinationRule()).withNamespace(namespace)
                        .addToLabels(Canaries.MANAGED_BY_LABEL, Canaries.MANAGED_BY)
                        .addToLabels(Canaries.RELEASE_LABEL, releaseId)
                    .endMetadata()
                    .withNewSpec().withHost(host).withSubsets(variants.stream().map(IstioRoutes::subset).toList())
                    .endSpec()
                    .build();
            calls.run("create " + what, () -> client.resources(DestinationRule.class).inNamespace(namespace)
                    .resource(created).create());
            return;
        }
        patches.edit("set the " + String.join(", ", variants) + " subsets of " + what, destinationRule(), dr -> {
            List<Subset> subsets = dr.getSpec().getSubsets() == null ? new ArrayList<>()
                    : new ArrayList<>(dr.getSpec().getSubsets());
            for (String variant : variants) {
                Subset s = subsets.stream().filter(x -> variant.equals(x.getName())).findFirst().orElse(null);
                if (s == null) {
                    subsets.add(subset(variant));
                } else {
                    s.setLabels(Map.of(Canaries.VARIANT_LABEL, variant));
                }
            }
            dr.getSpec().setSubsets(subsets);
            return dr;
        });
    }

    private static Subset subset(String variant) {
        Subset s = new Subset();
        s.setName(variant);
        s.setLabels(Map.of(Canaries.VARIANT_LABEL, variant));
        return s;
    }

    @Override
    public void setWeight(int weight, boolean baseline) {
        editRoutes("set canary weight " + weight + "%" + (baseline ? " and baseline weight " + weight + "%" : ""),
                routes -> {
                    for (HTTPRoute r : managed(routes)) {
                        HTTPRouteDestination stable = stableDestination(r);
                        stable.getDestination().setSubset(Canaries.STABLE);
                        stable.setWeight(100 - (baseline ? 2 : 1) * weight);
                        weigh(r, stable, Canaries.CANARY, weight);
                        if (baseline) {
                            weigh(r, stable, Canaries.BASELINE, weight);
                        } else {
                            r.getRoute().removeIf(d -> isSubset(d, Canaries.BASELINE));
                        }
                    }
                });
    }

    /** Gives the destination of {@code subset} in route {@code r} its weight, added like stable's if missing. */
    private static void weigh(HTTPRoute r, HTTPRouteDestination stable, String subset, int weight) {
        HTTPRouteDestination d = r.getRoute().stream().filter(x -> isSubset(x, subset)).findFirst().orElse(null);
        if (d == null) {
            d = new HTTPRouteDestination();
            d.setDestination(destination(subset, stable.getDestination()));
            r.getRoute().add(d);
        }
        d.setWeight(weight);
    }

    @Override
    public void setHeaderRoute(RouteMatch match) {
        editRoutes("route " + match + " to the canary", routes -> {
            List<HTTPRoute> managed = managed(routes);
            boolean any = false;
            for (int n = 0; n < managed.size(); n++) {
                HTTPRoute r = managed.get(n);
                stableDestination(r).getDestination().setSubset(Canaries.STABLE);
                String name = IstioRequestRoutes.name(match, n);
                List<HTTPMatchRequest> matches = requestRoutes.matches(r.getMatch(), match);
                int existing = indexOf(routes, name);
                if (matches.isEmpty()) {
                    if (existing >= 0) {
                        routes.remove(existing);
                    }
                    continue;
                }
                any = true;
                HTTPRoute segment = new HTTPRoute();
                segment.setName(name);
                segment.setMatch(matches);
                HTTPRouteDestination canary = new HTTPRouteDestination();
                canary.setDestination(destination(Canaries.CANARY, stableDestination(r).getDestination()));
                segment.setRoute(new ArrayList<>(List.of(canary)));
                if (existing >= 0) {
                    routes.set(existing, segment);
                } else {
                    routes.add(positionOf(routes, r), segment);
                }
            }
            if (!any) {
                throw new ExecutionFailure(FailureReason.INVALID, describe() + ": no managed route serves paths under "
                        + match.pathPrefix() + ", so no request could be routed there by path");
            }
        });
    }

    @Override
    public void setMirrorRoute(int percent) {
        editRoutes("mirror " + percent + "% to the canary", routes -> {
            for (HTTPRoute r : managed(routes)) {
                stableDestination(r).getDestination().setSubset(Canaries.STABLE);
                r.setMirror(destination(Canaries.CANARY, stableDestination(r).getDestination()));
                Percent p = new Percent();
                p.setValue((double) percent);
                r.setMirrorPercentage(p);
            }
        });
    }

    @Override
    public void removeManagedRoutes() {
        editRoutes("send all traffic to stable", routes -> {
            routes.removeIf(r -> IstioRequestRoutes.isOurs(r.getName()));
            for (HTTPRoute r : managed(routes)) {
                r.getRoute().removeIf(IstioRoutes::isOurs);
                if (r.getRoute().size() == 1) {
                    r.getRoute().get(0).setWeight(null);
                }
                // back to the whole host: a route left on the stable subset would reach no pod once
                // a later release (blue-green) selects other pods for the Service
                Destination stable = stableDestination(r).getDestination();
                if (Canaries.STABLE.equals(stable.getSubset())) {
                    stable.setSubset(null);
                }
                if (r.getMirror() != null && Canaries.CANARY.equals(r.getMirror().getSubset())) {
                    r.setMirror(null);
                    r.setMirrorPercentage(null);
                }
            }
        });
    }

    @Override
    public int verifiedWeight() {
        VirtualService vs = calls.call("read " + describe(), () -> virtualService().get());
        if (vs == null) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, describe() + " not found");
        }
        List<HTTPRoute> managed = managed(vs.getSpec().getHttp() == null ? List.of() : vs.getSpec().getHttp());
        List<Integer> weights = managed.stream().map(r -> {
            HTTPRouteDestination c = canaryDestination(r);
            return c == null || c.getWeight() == null ? 0 : c.getWeight();
        }).distinct().toList();
        if (weights.size() != 1) {
            throw new ExecutionFailure(FailureReason.INTERNAL, describe() + " gives the canary different weights "
                    + weights + " in its managed routes");
        }
        return weights.get(0);
    }

    private void editRoutes(String what, java.util.function.Consumer<List<HTTPRoute>> change) {
        patches.edit(what + " in " + describe(), virtualService(), vs -> {
            List<HTTPRoute> routes = new ArrayList<>(vs.getSpec().getHttp() == null ? List.of()
                    : vs.getSpec().getHttp());
            change.accept(routes);
            vs.getSpec().setHttp(routes);
            return vs;
        });
    }

    /** The routes Serin manages: the named ones, or every route all of whose destinations are the host. */
    private List<HTTPRoute> managed(List<HTTPRoute> routes) {
        List<HTTPRoute> managed = new ArrayList<>();
        for (HTTPRoute r : routes) {
            if (IstioRequestRoutes.isOurs(r.getName())) {
                continue;
            }
            boolean selected = config.routes() != null && !config.routes().isEmpty()
                    ? config.routes().contains(r.getName())
                    : r.getRoute() != null && !r.getRoute().isEmpty() && r.getRoute().stream()
                            .allMatch(d -> d.getDestination() != null && isHost(d.getDestination().getHost()));
            if (selected) {
                if (r.getRoute() == null || r.getRoute().stream().filter(d -> !isOurs(d)).count() != 1) {
                    throw new ExecutionFailure(FailureReason.INVALID, describe() + ": route '" + r.getName()
                            + "' must have exactly one destination besides canary and baseline to be weighted");
                }
                r.setRoute(new ArrayList<>(r.getRoute()));
                managed.add(r);
            }
        }
        if (managed.isEmpty()) {
            throw new ExecutionFailure(FailureReason.INVALID, describe() + " has no HTTP route "
                    + (config.routes() == null || config.routes().isEmpty() ? "to host " + host
                    : "named " + config.routes()));
        }
        return managed;
    }

    private boolean isHost(String h) {
        return h != null && (h.equals(host) || h.startsWith(host + "."));
    }

    private static boolean isSubset(HTTPRouteDestination d, String subset) {
        return d.getDestination() != null && subset.equals(d.getDestination().getSubset());
    }

    private static boolean isCanary(HTTPRouteDestination d) {
        return isSubset(d, Canaries.CANARY);
    }

    /** A destination Serin added beside stable. */
    private static boolean isOurs(HTTPRouteDestination d) {
        return isCanary(d) || isSubset(d, Canaries.BASELINE);
    }

    private static HTTPRouteDestination stableDestination(HTTPRoute r) {
        return r.getRoute().stream().filter(d -> !isOurs(d)).findFirst().orElseThrow();
    }

    private static HTTPRouteDestination canaryDestination(HTTPRoute r) {
        return r.getRoute().stream().filter(IstioRoutes::isCanary).findFirst().orElse(null);
    }

    private static Destination destination(String subset, Destination like) {
        Destination d = new Destination();
        d.setHost(like.getHost());
        d.setPort(like.getPort());
        d.setSubset(subset);
        return d;
    }

    private static int positionOf(List<HTTPRoute> routes, HTTPRoute route) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i) == route) {
                return i;
            }
        }
        throw new IllegalStateException("route not in its list");
    }

    private static int indexOf(List<HTTPRoute> routes, String name) {
        for (int i = 0; i < routes.size(); i++) {
            if (Objects.equals(name, routes.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }
}
