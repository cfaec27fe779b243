package io.serin.executor.execute;

import io.serin.events.WorkloadRef;

import java.util.Map;

/**
 * Port for the Services that routers which route by Service (Gateway API, NGINX) and blue-green
 * need. Every method is idempotent; a selector Serin changes keeps its original in the annotation
 * {@link Canaries#ORIGINAL_SELECTOR_ANNOTATION} until it is restored.
 */
public interface Services {

    /**
     * A Service's selector now, and as it was before Serin first changed it ({@code original}
     * equals {@code current} when Serin has not).
     */
    record Selector(Map<String, String> current, Map<String, String> original) {
    }

    /**
     * Makes sure Service {@code <target>-canary} exists, selecting the target's pods labelled
     * {@code serin.io/variant=canary}, with the ports of the stable Service {@code target.name()}.
     */
    void ensureCanaryService(WorkloadRef target, String releaseId);

    /** As {@link #ensureCanaryService}, for {@code <target>-baseline} and {@code serin.io/variant=baseline}. */
    void ensureBaselineService(WorkloadRef target, String releaseId);

    /**
     * Narrows the stable Service {@code target.name()} to pods labelled
     * {@code serin.io/variant=stable}, so canary pods get only the traffic routed to them. Call it
     * only once the target's pods carry that label.
     */
    void restrictToStable(WorkloadRef target);

    /** Deletes the canary Service; deleting one that is already gone succeeds. */
    void deleteCanaryService(WorkloadRef target);

    /** Deletes the baseline Service; deleting one that is already gone succeeds. */
    void deleteBaselineService(WorkloadRef target);

    /** The selector of Service {@code namespace/name}; NOT_FOUND if it does not exist. */
    Selector selector(String namespace, String name);

    /**
     * Makes the Service select only pods labelled {@code serin.io/variant=variant}, on top of its
     * original selector; the first change records the original.
     */
    void selectVariant(String namespace, String name, String variant);

    /** Puts back the original selector and drops the record of it; no-op if Serin never changed it. */
    void restoreSelector(String namespace, String name);

    /**
     * Makes sure Service {@code name} beside {@code target} selects exactly {@code selector}: created
     * (labelled managed-by Serin, with the ports of Service {@code portsOf}) if missing; if the user
     * made it, only its selector changes, with the original recorded.
     */
    void ensurePreviewService(WorkloadRef target, String releaseId, String name, Map<String, String> selector,
            String portsOf);

    /** Deletes the preview Service if Serin made it, else restores its original selector; gone is fine. */
    void removePreviewService(String namespace, String name);
}
