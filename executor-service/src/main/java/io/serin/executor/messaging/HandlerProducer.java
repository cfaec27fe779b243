package io.serin.executor.messaging;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.executor.config.ExecutorConfig;
import io.serin.executor.config.PolicyConfig;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.execute.CommandPolicy;
import io.serin.executor.http.HttpWebhookGates;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Wires the plain core to its Kubernetes and HTTP adapters. */
@ApplicationScoped
public class HandlerProducer {

    @Produces
    @ApplicationScoped
    CommandHandler commandHandler(KubernetesClient client, ExecutorConfig config, PolicyConfig policy) {
        return new CommandHandler(new KubernetesWorkloads(client, config.apiDeadline()),
                new KubernetesServices(client, config.apiDeadline()),
                new KubernetesRouteReconcilers(client, config.apiDeadline()), gates(config.gates()),
                config.readyTimeout(), config.abortDelay(), config.commandMaxAge(),
                new CommandPolicy(policy.namespacePolicy(), policy.imagePolicy()), Clock.systemUTC());
    }

    static HttpWebhookGates gates(ExecutorConfig.Gates config) {
        Map<String, HttpWebhookGates.Named> named = new TreeMap<>();
        config.named().forEach((name, gate) -> named.put(name,
                new HttpWebhookGates.Named(gate.url(), gate.timeout(), gate.headers())));
        return HttpWebhookGates.of(named, config.allowedHosts().orElse(List.of()),
                config.allowedNetworks().orElse(List.of()));
    }
}
