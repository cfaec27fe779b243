package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * How traffic is split between stable and new version. Every router except {@link ReplicaRatio}
 * sends traffic to a canary Deployment whose pods are labelled {@code serin.io/variant=canary},
 * beside the target whose pods Serin labels {@code serin.io/variant=stable}; docs/routers.md
 * lists what each router can and cannot do.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TrafficRouting.ReplicaRatio.class, name = "replicaRatio"),
        @JsonSubTypes.Type(value = TrafficRouting.Istio.class, name = "istio"),
        @JsonSubTypes.Type(value = TrafficRouting.GatewayApi.class, name = "gatewayApi"),
        @JsonSubTypes.Type(value = TrafficRouting.Nginx.class, name = "nginx"),
})
public sealed interface TrafficRouting
        permits TrafficRouting.ReplicaRatio, TrafficRouting.Istio, TrafficRouting.GatewayApi, TrafficRouting.Nginx {

    /**
     * No mesh: canary pods run beside stable pods behind the same plain Service, so the share of
     * traffic is the share of ready pods. Granularity is one pod: 10% needs at least 9 stable pods.
     */
    record ReplicaRatio() implements TrafficRouting {
    }

    /**
     * Istio: the HTTP routes of VirtualService {@code virtualService} (those named in
     * {@code routes}, or every HTTP route whose destinations are all {@code host}) are weighted
     * between the subsets {@code stable} and {@code canary} of DestinationRule
     * {@code destinationRule}, which Serin creates or patches. {@code host} defaults to the
     * target's name (its Service). Supports weights, header/cookie routes and mirroring.
     */
    record Istio(String virtualService, List<String> routes, String destinationRule, String host)
            implements TrafficRouting {
    }

    /**
     * Gateway API: the rules of HTTPRoute {@code httpRoute} whose backends are the target's Service
     * get a weighted second backend, the Service {@code <target>-canary}; {@code port} defaults to
     * the stable backend's port. Supports weights, header/cookie routes and RequestMirror.
     */
    record GatewayApi(String httpRoute, Integer port) implements TrafficRouting {
    }

    /**
     * NGINX Ingress: a canary Ingress {@code <ingress>-canary} beside Ingress {@code ingress}, with
     * the {@code nginx.ingress.kubernetes.io/canary*} annotations. Supports weights and
     * header/cookie routes; no mirroring.
     */
    record Nginx(String ingress) implements TrafficRouting {
    }
}
