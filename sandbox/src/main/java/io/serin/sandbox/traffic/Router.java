package io.serin.sandbox.traffic;

import java.util.List;

/**
 * One way requests reach an app (a mesh, a gateway, an ingress or a plain Service), read from its
 * live routing objects. A request the router would answer itself (no route matches, an unknown
 * subset, a redirect) yields no flow.
 */
interface Router {

    /** Where {@code rate} requests per second like {@code request} go. */
    List<Flow> route(RequestClass request, double rate);

    /** For the progress display and diagnostics, e.g. "Istio VirtualService payments/payment-gateway". */
    String describe();
}
