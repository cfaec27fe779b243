package io.serin.executor.execute;

import io.serin.events.WorkloadRef;

/** Naming and labelling of the objects a release adds beside its target. */
public final class Canaries {

    public static final String RELEASE_LABEL = "serin.io/release";
    public static final String VARIANT_LABEL = "serin.io/variant";
    public static final String STABLE = "stable";
    public static final String CANARY = "canary";
    public static final String TARGET_ANNOTATION = "serin.io/target";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "serin";

    private Canaries() {
    }

    public static String canaryName(WorkloadRef target) {
        return target.name() + "-canary";
    }

    /** The Service of the canary pods, for routers that route by Service. */
    public static String canaryServiceName(WorkloadRef target) {
        return target.name() + "-canary";
    }

    /** The stable Service: by convention the one named like the target. */
    public static String stableServiceName(WorkloadRef target) {
        return target.name();
    }
}
