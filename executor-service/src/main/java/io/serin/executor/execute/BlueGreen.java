package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.TrafficState;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Blue-green by Service selector: blue is the target, green a full-size copy running the new
 * version ({@code <target>-canary}, pods labelled {@code serin.io/variant=canary}). The active
 * Service is switched by adding the variant to its selector and switched back by restoring the
 * original, which stays recorded on the Service. No step leaves a Service without ready pods.
 */
final class BlueGreen {

    private final Workloads workloads;
    private final Services services;
    private final Duration readyTimeout;

    BlueGreen(Workloads workloads, Services services, Duration readyTimeout) {
        this.workloads = workloads;
        this.services = services;
        this.readyTimeout = readyTimeout;
    }

    Outcome deployPreview(ExecutorCommand.DeployPreview c) {
        checkServices(c.target(), c.activeService(), c.previewService());
        WorkloadRef target = c.target();
        String ns = target.namespace();
        Services.Selector active = services.selector(ns, c.activeService());
        if (!active.current().containsKey(Canaries.VARIANT_LABEL)) {
            // Green copies every label of blue's pods, so a selector that picks blue would pick green
            // too and send it clients before any switch: pin the active Service to blue first.
            workloads.ensurePodLabel(target, Canaries.VARIANT_LABEL, Canaries.STABLE);
            workloads.awaitRolledOut(ns, target.name(), readyTimeout);
            services.selectVariant(ns, c.activeService(), Canaries.STABLE);
        }
        String green = Canaries.canaryName(target);
        int replicas = workloads.replicas(target).desired();
        workloads.ensureCanary(target, green, c.releaseId(), c.to(), replicas);
        Workloads.Replicas ready = workloads.awaitRolledOut(ns, green, readyTimeout);
        Map<String, String> greenOnly = new HashMap<>(active.original());
        greenOnly.put(Canaries.VARIANT_LABEL, Canaries.CANARY);
        services.ensurePreviewService(target, c.releaseId(), c.previewService(), greenOnly, c.activeService());
        int blueReady = workloads.replicas(target).ready();
        return new Outcome("green " + ns + "/" + green + " runs " + c.to().image() + " (" + ready.ready() + "/"
                + ready.desired() + " pods ready) behind Service " + ns + "/" + c.previewService()
                + "; Service " + ns + "/" + c.activeService() + " still sends everything to blue",
                new TrafficState(0, ready.ready(), blueReady));
    }

    Outcome switchActive(ExecutorCommand.SwitchActive c) {
        checkActive(c.target(), c.activeService());
        WorkloadRef target = c.target();
        String ns = target.namespace();
        String green = Canaries.canaryName(target);
        if (workloads.releaseOf(ns, green).isEmpty()) {
            throw new ExecutionFailure(FailureReason.NOT_FOUND, "no green Deployment " + ns + "/" + green
                    + " to switch Service " + ns + "/" + c.activeService() + " to; DeployPreview makes it");
        }
        // never hand clients to pods that are not all ready, even when replayed after a scale-down
        Workloads.Replicas ready = workloads.awaitRolledOut(ns, green, readyTimeout);
        services.selectVariant(ns, c.activeService(), Canaries.CANARY);
        int blueReady = workloads.replicas(target).ready();
        return new Outcome("Service " + ns + "/" + c.activeService() + " sends everything to green (" + ready.ready()
                + "/" + ready.desired() + " pods ready); blue keeps running (" + blueReady
                + " pods ready) to switch back at once", new TrafficState(100, ready.ready(), blueReady));
    }

    /** Target on the new version and ready while clients are on green; then selectors back; green last. */
    Outcome promote(ExecutorCommand.PromoteBlueGreen c) {
        checkServices(c.target(), c.activeService(), c.previewService());
        WorkloadRef target = c.target();
        String ns = target.namespace();
        workloads.updateImage(target, c.to());
        Workloads.Replicas rolled = workloads.awaitRolledOut(ns, target.name(), readyTimeout);
        services.restoreSelector(ns, c.activeService());
        services.removePreviewService(ns, c.previewService());
        workloads.delete(ns, Canaries.canaryName(target));
        return new Outcome(target + " runs " + c.to().image() + " (" + rolled.ready() + "/" + rolled.desired()
                + " pods ready) behind Service " + ns + "/" + c.activeService() + " with its own selector again; "
                + "green and the preview removed", null);
    }

    /** Clients back on blue (which never stopped) first, then green and the preview go. */
    Outcome rollback(ExecutorCommand.RollbackBlueGreen c) {
        checkServices(c.target(), c.activeService(), c.previewService());
        WorkloadRef target = c.target();
        String ns = target.namespace();
        Services.Selector active = services.selector(ns, c.activeService());
        if (!active.original().containsKey(Canaries.VARIANT_LABEL)
                && active.current().containsKey(Canaries.VARIANT_LABEL)) {
            // the original would also pick green's pods while they terminate: blue alone until they are gone
            services.selectVariant(ns, c.activeService(), Canaries.STABLE);
        } else {
            services.restoreSelector(ns, c.activeService());
        }
        services.removePreviewService(ns, c.previewService());
        workloads.delete(ns, Canaries.canaryName(target));
        services.restoreSelector(ns, c.activeService());
        Workloads.Replicas blue = workloads.replicas(target);
        return new Outcome("Service " + ns + "/" + c.activeService() + " back on blue (" + blue.ready() + "/"
                + blue.desired() + " pods ready); green and the preview removed", new TrafficState(0, 0, blue.ready()));
    }

    private static void checkActive(WorkloadRef target, String active) {
        if (active == null || active.isBlank()) {
            throw new ExecutionFailure(FailureReason.INVALID, "blue-green on " + target + " needs activeService");
        }
    }

    private static void checkServices(WorkloadRef target, String active, String preview) {
        checkActive(target, active);
        if (preview == null || preview.isBlank()) {
            throw new ExecutionFailure(FailureReason.INVALID, "blue-green on " + target + " needs previewService");
        }
        if (active.equals(preview)) {
            throw new ExecutionFailure(FailureReason.INVALID, "blue-green on " + target + ": activeService and "
                    + "previewService are both '" + active + "'");
        }
    }
}
