package io.serin.executor.execute;

import io.serin.events.WorkloadRef;

/** Naming, labelling and annotating of the objects a release adds beside its target. */
public final class Canaries {

    public static final String RELEASE_LABEL = "serin.io/release";
    public static final String VARIANT_LABEL = "serin.io/variant";
    public static final String STABLE = "stable";
    public static final String CANARY = "canary";
    public static final String BASELINE = "baseline";
    public static final String TARGET_ANNOTATION = "serin.io/target";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "serin";
    /** On the canary Deployment: its size set apart from its weight ({@link CanaryScale}). */
    public static final String SCALE_ANNOTATION = "serin.io/canary-scale";
    /** On an aborted canary Deployment: when its pods, which get no traffic any more, are removed. */
    public static final String REMOVE_AFTER_ANNOTATION = "serin.io/remove-after";
    /** On a Service whose selector Serin changed: the selector as it was, as JSON. */
    public static final String ORIGINAL_SELECTOR_ANNOTATION = "serin.io/original-selector";

    private Canaries() {
    }

    public static String canaryName(WorkloadRef target) {
        return target.name() + "-canary";
    }

    /** The Deployment running the target's current version beside the canary, for a fair comparison. */
    public static String baselineName(WorkloadRef target) {
        return target.name() + "-baseline";
    }

    /** The Service of the canary pods, for routers that route by Service. */
    public static String canaryServiceName(WorkloadRef target) {
        return target.name() + "-canary";
    }

    /** The Service of the baseline pods, for routers that route by Service. */
    public static String baselineServiceName(WorkloadRef target) {
        return target.name() + "-baseline";
    }

    /** The stable Service: by convention the one named like the target. */
    public static String stableServiceName(WorkloadRef target) {
        return target.name();
    }
}
