package io.serin.sandbox;

import io.serin.events.CanaryStep;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.Topics;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One measured run against a fresh {@link PlannerBenchRig}: N canary releases are admitted until
 * each holds at a pause until promoted; then, with all N active, rounds start at a steady rate,
 * each on a release of its own, and the {@link PlannerBenchStandIns} time every input of a round to
 * the command it leads to.
 */
final class PlannerBenchRun implements AutoCloseable {

    /** Figures of one run: admission, then one {@link Phase} per rate. */
    record Result(int releases, double admissionSeconds, int heldAfterAdmission, long rssAfterAdmissionKb,
            List<Phase> phases, int heldAtEnd, long rssEndKb, long hwmKb, String heapEnd,
            String loadStart, String loadAfterAdmission, List<String> anomalies) {
    }

    /** Rounds at one rate. */
    record Phase(double rate, int rounds, int warmupRounds, int roundsDone, double steadySeconds,
            PlannerBenchStandIns.Measurements measured, double plannerCores, double brokerCores, double benchCores,
            double otherCores, String loadEnd, Map<String, Double> streamThread) {
    }

    private final PlannerBenchRig rig;
    private final PlannerBenchStandIns standIns;
    private final double quietCores;
    private final Duration quietWait;

    /**
     * @param quietCores start admission and every phase once the rest of the machine uses fewer cores
     *                   than this (0: at once) ...
     * @param quietWait  ... waiting at most this long
     */
    PlannerBenchRun(PlannerBenchRig rig, int minAnswerMillis, int maxAnswerMillis, double quietCores,
            Duration quietWait) {
        this.rig = rig;
        this.standIns = new PlannerBenchStandIns(rig, minAnswerMillis, maxAnswerMillis);
        this.quietCores = quietCores;
        this.quietWait = quietWait;
    }

    /**
     * What every release runs: step 0 is admitted, step 1 holds it; a round (steps 2–8) goes promote →
     * weight 2 → analysis → weight 3 → timed pause → weight 4 → weight 5 → hold again, so a release
     * that ran its round is still active.
     */
    static List<CanaryStep> steps(Duration timedPause) {
        return List.of(new CanaryStep.SetWeight(1), new CanaryStep.Pause(null), new CanaryStep.SetWeight(2),
                new CanaryStep.Analysis(Duration.ofMinutes(10), List.of(Scenario.errorRate())),
                new CanaryStep.SetWeight(3), new CanaryStep.Pause(timedPause), new CanaryStep.SetWeight(4),
                new CanaryStep.SetWeight(5), new CanaryStep.Pause(null));
    }

    /**
     * Admits {@code releases} releases, then runs one phase of rounds per rate in {@code rates}, each
     * on releases no earlier phase used.
     */
    Result run(int releases, List<Double> rates, int seconds, int warmupSeconds, Duration timedPause)
            throws InterruptedException {
        int needed = rates.stream().mapToInt(r -> (int) Math.round(r * (seconds + warmupSeconds))).sum();
        if (needed > releases) {
            throw new IllegalArgumentException(needed + " rounds need as many releases; only " + releases
                    + " are admitted: lower the rates or the duration, or admit more");
        }
        long plannerPid = rig.plannerPid();
        awaitQuiet();
        String loadStart = PlannerBenchProc.loadAverage();
        List<String> ids = new ArrayList<>(releases);
        List<byte[]> requests = new ArrayList<>(releases);
        List<CanaryStep> steps = steps(timedPause);
        for (int i = 0; i < releases; i++) {
            String id = String.format(Locale.ROOT, "bench-%06d", i);
            ids.add(id);
            requests.add(PlannerBenchStandIns.request(request(id, i, steps)));
        }

        // The first release goes alone: once it holds, the planner has its partitions and is warm
        // enough to start the clock (readiness does not wait for the consumer group's assignment).
        rig.send(Topics.RELEASE_REQUESTS, ids.get(0), requests.get(0), null);
        awaitOrFail(() -> standIns.admitted() == 1, Duration.ofSeconds(120), () -> "the first release is not admitted");
        System.out.printf(Locale.ROOT, "admitting %d more releases%n", releases - 1);
        long admissionStart = PlannerBenchStandIns.nowMicros();
        for (int i = 1; i < releases; i++) {
            rig.send(Topics.RELEASE_REQUESTS, ids.get(i), requests.get(i), null);
        }
        rig.flush();
        requests.clear();
        awaitOrFail(() -> standIns.admitted() == releases, Duration.ofSeconds(120 + releases / 20),
                () -> standIns.admitted() + " of " + releases + " releases reached their pause");
        double admissionSeconds = (standIns.lastAdmittedMicros() - admissionStart) / 1e6;
        System.out.printf(Locale.ROOT, "admitted %d releases in %.1f s (%.0f/s)%n", releases - 1, admissionSeconds,
                (releases - 1) / admissionSeconds);
        int heldAfterAdmission = rig.countInPhase(ids, "PAUSED");
        System.out.printf(Locale.ROOT, "REST API: %d of %d releases PAUSED%n", heldAfterAdmission, releases);
        String loadAfterAdmission = PlannerBenchProc.loadAverage();
        long rssAfterAdmission = PlannerBenchProc.statusKb(plannerPid, "VmRSS");

        standIns.answerLater();
        List<Phase> phases = new ArrayList<>();
        int next = 0;
        for (double rate : rates) {
            int rounds = (int) Math.round(rate * (seconds + warmupSeconds));
            phases.add(phase(ids.subList(next, next + rounds), rate, (int) Math.round(rate * warmupSeconds)));
            next += rounds;
        }

        int heldAtEnd = rig.countInPhase(ids, "PAUSED");
        System.out.printf(Locale.ROOT, "REST API after the rounds: %d of %d releases PAUSED%n", heldAtEnd, releases);
        return new Result(releases, admissionSeconds, heldAfterAdmission, rssAfterAdmission, phases, heldAtEnd,
                PlannerBenchProc.statusKb(plannerPid, "VmRSS"), PlannerBenchProc.statusKb(plannerPid, "VmHWM"),
                PlannerBenchProc.heapInfo(plannerPid), loadStart, loadAfterAdmission, standIns.anomalies());
    }

    /** Starts one round per release of {@code ids} at {@code rate} per second and waits until all are done. */
    private Phase phase(List<String> ids, double rate, int warmupRounds) throws InterruptedException {
        int rounds = ids.size();
        awaitQuiet();
        System.out.printf(Locale.ROOT, "rounds: %d at %.0f/s (first %d are warm-up)%n", rounds, rate, warmupRounds);
        PlannerBenchStandIns.Measurements measured = standIns.startPhase();
        long plannerPid = rig.plannerPid();
        long plannerCpu0 = PlannerBenchProc.cpuMillis(plannerPid);
        long brokerCpu0 = PlannerBenchProc.cpuMillis(rig.brokerPid());
        long benchCpu0 = PlannerBenchProc.cpuMillis(ProcessHandle.current().pid());
        long machine0 = PlannerBenchProc.machineBusyMillis();
        long start = System.nanoTime();
        long steadyStart = start;
        for (int k = 0; k < rounds; k++) {
            long due = start + (long) (k * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (k == warmupRounds) {
                steadyStart = System.nanoTime();
            }
            standIns.promote(ids.get(k), k < warmupRounds);
        }
        double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
        awaitOrFail(() -> standIns.roundsDone() == rounds, Duration.ofSeconds(180),
                () -> standIns.roundsDone() + " of " + rounds + " rounds done; " + standIns.unanswered()
                        + " inputs unanswered");
        double wall = (System.nanoTime() - start) / 1e6;
        long planner = PlannerBenchProc.cpuMillis(plannerPid) - plannerCpu0;
        long broker = PlannerBenchProc.cpuMillis(rig.brokerPid()) - brokerCpu0;
        long bench = PlannerBenchProc.cpuMillis(ProcessHandle.current().pid()) - benchCpu0;
        long machine = PlannerBenchProc.machineBusyMillis() - machine0;
        Phase phase = new Phase(rate, rounds, warmupRounds, standIns.roundsDone(), steadySeconds, measured,
                planner / wall, broker / wall, bench / wall, Math.max(0, machine - planner - broker - bench) / wall,
                PlannerBenchProc.loadAverage(), rig.streamThreadMetrics());
        System.out.printf(Locale.ROOT, "inputs sent → acked by the broker: p50 %s, p99 %s; CPU (cores) planner %.2f,"
                + " broker %.2f, bench %.2f, others %.2f; load %s; stream thread: %s%n",
                PlannerBenchStats.ms(measured.acked().percentile(0.5)),
                PlannerBenchStats.ms(measured.acked().percentile(0.99)), phase.plannerCores(), phase.brokerCores(),
                phase.benchCores(), phase.otherCores(), phase.loadEnd(), phase.streamThread());
        if (measured.appended().count() > 0) {
            System.out.printf(Locale.ROOT, "(diagnosis) input sent → command in the log, uncommitted: p50 %s, p95 %s,"
                    + " p99 %s, max %s (%d samples, timers excluded)%n",
                    PlannerBenchStats.ms(measured.appended().percentile(0.5)),
                    PlannerBenchStats.ms(measured.appended().percentile(0.95)),
                    PlannerBenchStats.ms(measured.appended().percentile(0.99)),
                    PlannerBenchStats.ms(measured.appended().percentile(1.0)), measured.appended().count());
        }
        System.out.print(PlannerBenchReport.latencyTable(List.of(new PlannerBenchReport.Row(
                new PlannerBenchmark.Variant("this run", Map.of()), null, phase))));
        return phase;
    }

    private static ReleaseRequested request(String id, int i, List<CanaryStep> steps) {
        String app = "app-" + i;
        // the progress deadline is raised so that the deadline timers of the admission burst do not
        // all fall due during the measurement (they would be stale and ignored, but all at once)
        return new ReleaseRequested(id, new WorkloadRef(WorkloadRef.DEPLOYMENT, "bench", app),
                new VersionSpec("registry.example.com/bench/" + app + ":v2", null),
                new Strategy.Canary(new TrafficRouting.Istio(app, null, app, null), steps, Duration.ofHours(2), null),
                "bench");
    }

    /** Other builds share this machine: start a measurement when they leave the CPU to us, if they do soon. */
    private void awaitQuiet() throws InterruptedException {
        if (quietCores > 0) {
            PlannerBenchProc.awaitQuiet(List.of(rig.plannerPid(), rig.brokerPid(), ProcessHandle.current().pid()),
                    quietCores, quietWait);
        }
    }

    private void awaitOrFail(BooleanSupplier done, Duration timeout, Supplier<String> status)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (!rig.plannerAlive()) {
                throw new IllegalStateException("the planner died; see " + rig.plannerLog());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + ": " + status.get() + "; see "
                        + rig.plannerLog());
            }
            if (System.nanoTime() > nextReport) {
                System.out.println("  " + status.get());
                nextReport += 10_000_000_000L;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        standIns.close();
    }
}
