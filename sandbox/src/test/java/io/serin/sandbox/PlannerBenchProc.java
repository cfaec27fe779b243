package io.serin.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Linux and the JVM say about a process of the planner benchmark: memory, CPU time, load. */
final class PlannerBenchProc {

    /** USER_HZ; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    private PlannerBenchProc() {
    }

    /** A {@code /proc/<pid>/status} field in KiB, e.g. {@code VmRSS} (resident now) or {@code VmHWM} (peak). */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
    }

    /** User plus system CPU time the process has used so far, in milliseconds. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces; fields after it are space-separated from state (3)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** CPU time all processes on the machine have used so far (user, nice, system, irq, softirq, steal), ms. */
    static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    /**
     * Waits until everything on the machine but {@code ours} used less than {@code cores} CPU cores over
     * a 5-second window, for at most {@code maxWait}; returns what they used in the last window.
     */
    static double awaitQuiet(List<Long> ours, double cores, java.time.Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long waitingSince = System.nanoTime();
        while (true) {
            long machine0 = machineBusyMillis();
            long ours0 = ours.stream().mapToLong(PlannerBenchProc::cpuMillis).sum();
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            double wall = (System.nanoTime() - t0) / 1e6;
            long used = machineBusyMillis() - machine0 - (ours.stream().mapToLong(PlannerBenchProc::cpuMillis).sum()
                    - ours0);
            double others = Math.max(0, used) / wall;
            if (others < cores || System.nanoTime() > deadline) {
                if (others >= cores) {
                    System.out.printf(java.util.Locale.ROOT, "  the machine did not get quiet (others use %.2f cores);"
                            + " going on%n", others);
                } else if (System.nanoTime() - waitingSince > 6_000_000_000L) {
                    System.out.printf(java.util.Locale.ROOT, "  quiet after %.0f s (others use %.2f cores)%n",
                            (System.nanoTime() - waitingSince) / 1e9, others);
                }
                return others;
            }
            System.out.printf(java.util.Locale.ROOT, "  waiting for a quieter machine (others use %.2f cores, load %s)%n",
                    others, loadAverage());
        }
    }

    /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} prints them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Heap in use and committed, from the JVM itself ({@code jcmd <pid> GC.heap_info}), e.g. "167 of 256 MiB". */
    static String heapInfo(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(2)) / 1024 + " of " + Long.parseLong(m.group(1)) / 1024 + " MiB"
                    : "unknown";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
