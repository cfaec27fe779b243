package io.serin.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Does for the sandbox's services what a kubelet does for pods: a service whose process exited,
 * or whose liveness probe ({@code /q/health/live}) failed {@value #FAILURE_THRESHOLD} times in a row
 * after it had once been ready, is started again with the same configuration. Restarts back off as
 * CrashLoopBackOff does (none at first, then doubling to {@link #MAX_BACKOFF}) while they come quickly.
 */
final class Supervisor implements AutoCloseable {

    static final int FAILURE_THRESHOLD = 3;
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What restarting means: the sandbox replaces the process and returns the new one. */
    interface Restarter {
        ServiceProcess restart(ServiceProcess dead, String why);
    }

    private final Supplier<List<ServiceProcess>> services;
    private final Restarter restarter;
    private final Consumer<String> say;
    private final Map<String, Watch> watches = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** What the supervisor knows of one service's current process. */
    private static final class Watch {
        ServiceProcess process;
        Instant startedAt = Instant.now();
        boolean ready;
        int failures;
        int restarts;
        Instant lastRestart = Instant.EPOCH;
    }

    Supervisor(Supplier<List<ServiceProcess>> services, Restarter restarter, Consumer<String> say) {
        this.services = services;
        this.restarter = restarter;
        this.say = say;
        this.thread = new Thread(this::loop, "sandbox-supervisor");
        thread.setDaemon(true);
    }

    Supervisor start() {
        thread.start();
        return this;
    }

    /** How often a service was restarted by the supervisor. */
    synchronized int restarts(String module) {
        Watch w = watches.get(module);
        return w == null ? 0 : w.restarts;
    }

    private void loop() {
        while (running) {
            try {
                checkAll();
            } catch (RuntimeException e) {
                say.accept("sandbox: supervisor: " + e);
            }
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkAll() {
        for (ServiceProcess process : services.get()) {
            if (!running) {
                return;
            }
            String why = check(process);
            if (why != null) {
                restart(process, why);
            }
        }
    }

    /** Why {@code process} must be restarted now, or null. */
    private synchronized String check(ServiceProcess process) {
        Watch w = watches.computeIfAbsent(process.name(), n -> new Watch());
        if (w.process != process) { // a new process (first sight, or restarted by someone else)
            w.process = process;
            w.startedAt = Instant.now();
            w.ready = false;
            w.failures = 0;
        }
        if (!process.alive()) {
            return "exited with " + process.exitCode();
        }
        if (!w.ready) {
            w.ready = process.probe("/q/health/ready");
            return !w.ready && Instant.now().isAfter(w.startedAt.plus(STARTUP_TIMEOUT))
                    ? "not ready within " + STARTUP_TIMEOUT : null;
        }
        w.failures = process.probe("/q/health/live") ? 0 : w.failures + 1;
        return w.failures >= FAILURE_THRESHOLD ? "liveness probe failed " + w.failures + " times" : null;
    }

    private void restart(ServiceProcess process, String why) {
        Duration backoff;
        synchronized (this) {
            Watch w = watches.get(process.name());
            boolean crashLooping = Duration.between(w.lastRestart, Instant.now()).compareTo(Duration.ofMinutes(1)) < 0;
            backoff = !crashLooping || w.restarts == 0 ? Duration.ZERO
                    : Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(5, w.restarts)));
            w.restarts++;
            w.lastRestart = Instant.now();
        }
        say.accept("sandbox: " + process.name() + " " + why + "; restarting it"
                + (backoff.isZero() ? "" : " in " + backoff.toSeconds() + "s") + ", as a kubelet would");
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (running) {
            restarter.restart(process, why);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
