package io.serin.executor.execute;

import io.serin.events.WorkloadRef;

/**
 * Port for the Services that routers which route by Service (Gateway API, NGINX) need. Every
 * method is idempotent.
 */
public interface Services {

    /**
     * Makes sure Service {@code <target>-canary} exists, selecting the target's pods labelled
     * {@code serin.io/variant=canary}, with the ports of the stable Service {@code target.name()}.
     */
    void ensureCanaryService(WorkloadRef target, String releaseId);

    /**
     * Narrows the stable Service {@code target.name()} to pods labelled
     * {@code serin.io/variant=stable}, so canary pods get only the traffic routed to them. Call it
     * only once the target's pods carry that label.
     */
    void restrictToStable(WorkloadRef target);

    /** Deletes the canary Service; deleting one that is already gone succeeds. */
    void deleteCanaryService(WorkloadRef target);
}
