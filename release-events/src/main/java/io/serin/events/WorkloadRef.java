package io.serin.events;

/** The workload a release changes, e.g. Deployment payments/payment-gateway. */
public record WorkloadRef(String kind, String namespace, String name) {

    public static final String DEPLOYMENT = "Deployment";

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
