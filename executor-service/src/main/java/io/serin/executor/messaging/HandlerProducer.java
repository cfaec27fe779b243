package io.serin.executor.messaging;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.executor.config.ExecutorConfig;
import io.serin.executor.execute.CommandHandler;
import io.serin.executor.http.HttpWebhookGates;
import io.serin.executor.k8s.KubernetesRouteReconcilers;
import io.serin.executor.k8s.KubernetesServices;
import io.serin.executor.k8s.KubernetesWorkloads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Wires the plain core to its Kubernetes and HTTP adapters. */
@ApplicationScoped
public class HandlerProducer {

    @Produces
    @ApplicationScoped
    CommandHandler commandHandler(KubernetesClient client, ExecutorConfig config) {
        return new CommandHandler(new KubernetesWorkloads(client, config.apiDeadline()),
                new KubernetesServices(client, config.apiDeadline()),
                new KubernetesRouteReconcilers(client, config.apiDeadline()), new HttpWebhookGates(),
                config.readyTimeout(), config.abortDelay(), config.commandMaxAge(), config.allowedNamespaces(),
                Clock.systemUTC());
    }
}
