package io.serin.executor.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.events.TrafficRouting;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.RouteReconciler;
import io.serin.executor.execute.RouteReconcilers;

import java.time.Duration;

/** One {@link RouteReconciler} per router, on fabric8's typed Istio, Gateway API and Ingress models. */
public final class KubernetesRouteReconcilers implements RouteReconcilers {

    private final KubernetesClient client;
    private final KubeCalls calls;

    public KubernetesRouteReconcilers(KubernetesClient client, Duration apiDeadline) {
        this.client = client;
        this.calls = new KubeCalls(apiDeadline);
    }

    @Override
    public RouteReconciler forRouting(TrafficRouting routing, WorkloadRef target, String releaseId) {
        if (routing instanceof TrafficRouting.Istio istio) {
            return new IstioRoutes(client, calls, istio, target, releaseId);
        } else if (routing instanceof TrafficRouting.GatewayApi gatewayApi) {
            return new GatewayApiRoutes(client, calls, gatewayApi, target);
        } else if (routing instanceof TrafficRouting.Nginx nginx) {
            return new NginxRoutes(client, calls, nginx, target, releaseId);
        }
        throw new IllegalArgumentException("no route reconciler for " + routing);
    }
}
