package io.serin.sandbox.traffic;

import java.util.List;

/** No mesh, gateway or ingress in front: clients call the app's Service, which spreads them over its pods. */
final class PlainService implements Router {

    private final Backend service;

    PlainService(String namespace, String app) {
        this.service = Backend.service(namespace, app);
    }

    @Override
    public List<Flow> route(RequestClass request, double rate) {
        return List.of(Flow.served(service, rate));
    }

    @Override
    public String describe() {
        return "Service " + service.namespace() + "/" + service.service();
    }
}
