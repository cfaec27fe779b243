package io.serin.sandbox;

import io.serin.events.AnalysisVerdict;
import io.serin.events.CanaryStep;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command: starts the sandbox, submits the demo release and follows it in the
 * terminal until it is promoted or rolled back.
 *
 * <pre>usage: sandbox.sh [--scenario healthy|bad] [--analysis PT20S] [--keep]</pre>
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenario.HEALTHY;
        Duration analysis = Duration.ofMinutes(2);
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> scenario = Scenario.valueOf(args[++i].toUpperCase(Locale.ROOT).replace('-', '_'));
                case "--analysis" -> analysis = Duration.parse(args[++i]);
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("usage: sandbox.sh [--scenario healthy|bad] [--analysis PT20S] [--keep]");
                    System.exit(2);
                }
            }
        }
        Path home = Path.of(System.getProperty("serin.home", ".")).toAbsolutePath().normalize();
        Instant started = Instant.now();
        say("starting Kafka (KRaft), a simulated Kubernetes cluster and the four Serin services …");
        Sandbox sandbox = Sandbox.start(Sandbox.Settings.defaults(home));
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-stop"));
        Path kubeconfig = Kubeconfig.write(sandbox.kubernetesUrl(), home.resolve(".sandbox/kubeconfig"));
        say("ready in %ds. Kafka: %s; services' logs: %s", Duration.between(started, Instant.now()).toSeconds(),
                sandbox.bootstrapServers(), sandbox.logDir());
        say("cluster: export KUBECONFIG=%s", kubeconfig);

        String releaseId = "demo-" + DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        ReleaseRequested request = scenario.request(releaseId, analysis);
        CountDownLatch done = new CountDownLatch(1);
        int steps = 2;
        Instant[] canaryServing = new Instant[1];
        sandbox.eventLog().onEvent(e -> {
            if (e.releaseId().equals(releaseId)) {
                System.out.println(render(e, steps));
                if (e instanceof ReleaseEvent.StepCompleted && canaryServing[0] == null) {
                    canaryServing[0] = e.occurredAt();
                }
                if (e instanceof ReleaseEvent.RolledBack && canaryServing[0] != null) {
                    say("from the canary taking traffic to all traffic back on stable: %.1f s",
                            Duration.between(canaryServing[0], e.occurredAt()).toMillis() / 1000.0);
                }
                if (e instanceof ReleaseEvent.Promoted || e instanceof ReleaseEvent.RolledBack
                        || e instanceof ReleaseEvent.Failed || e instanceof ReleaseEvent.Rejected) {
                    done.countDown();
                }
            }
        });
        // the notifier posts CloudEvents (structured mode); its one-line summary is an extension attribute
        sandbox.webhook().onMessage(body ->
                System.out.println("           chat ← " + body.path("serinsummary").asText()));
        say("submitting %s: %s → %s (%s scenario)", releaseId, request.target(), request.to().image(),
                scenario.name().toLowerCase(Locale.ROOT));
        sandbox.submit(request);
        if (!done.await(10, TimeUnit.MINUTES)) {
            say("no outcome after 10 minutes; see %s", sandbox.logDir());
        }
        if (keep) {
            say("sandbox keeps running; Ctrl-C stops it");
            Thread.currentThread().join();
        }
        say("stopping …");
        sandbox.close();
        System.exit(0);
    }

    static String render(ReleaseEvent e, int steps) {
        String bar;
        String text;
        if (e instanceof ReleaseEvent.Accepted a) {
            bar = bar(0, steps + 1);
            text = "accepted: " + a.request().target() + " → " + a.request().to().image();
        } else if (e instanceof ReleaseEvent.StepStarted s) {
            bar = bar(s.stepIndex(), s.stepCount() + 1);
            text = "step " + (s.stepIndex() + 1) + "/" + s.stepCount() + ": " + describe(s.step());
        } else if (e instanceof ReleaseEvent.StepCompleted s) {
            bar = bar(s.stepIndex() + 1, s.stepCount() + 1);
            text = "step " + (s.stepIndex() + 1) + " done: " + s.summary();
        } else if (e instanceof ReleaseEvent.AnalysisCompleted a) {
            AnalysisVerdict v = a.verdict();
            bar = bar(a.stepIndex() + 1, steps + 1);
            StringBuilder sb = new StringBuilder("analysis " + v.verdict());
            for (MetricEvidence m : v.metrics()) {
                sb.append(String.format(Locale.ROOT, "%n             %s: %s", m.name(), m.reason()));
            }
            text = sb.toString();
        } else if (e instanceof ReleaseEvent.PromotionStarted p) {
            bar = bar(steps, steps + 1);
            text = "promoting " + p.target() + " to " + p.to().image();
        } else if (e instanceof ReleaseEvent.Promoted p) {
            bar = bar(steps + 1, steps + 1);
            text = "PROMOTED: " + p.summary();
        } else if (e instanceof ReleaseEvent.RollbackStarted r) {
            bar = "[ rollback ]";
            text = "rolling back: " + r.reason();
        } else if (e instanceof ReleaseEvent.RolledBack r) {
            bar = "[ rollback ]";
            text = "ROLLED BACK: " + r.reason();
        } else if (e instanceof ReleaseEvent.Failed f) {
            bar = "[  failed  ]";
            text = "FAILED: " + f.reason();
        } else if (e instanceof ReleaseEvent.Rejected r) {
            bar = "[ rejected ]";
            text = "REJECTED: " + r.violations();
        } else {
            throw new IllegalStateException("unhandled event " + e.getClass());
        }
        return String.format("%s #%-2d %s", bar, e.sequence(), text);
    }

    private static String describe(CanaryStep step) {
        if (step instanceof CanaryStep.SetWeight w) {
            return "set canary weight to " + w.weight() + "%";
        }
        if (step instanceof CanaryStep.Analysis a) {
            return "analyse " + a.metrics().size() + " metric(s), for at most " + a.duration().toSeconds() + "s";
        }
        throw new IllegalStateException("unhandled step " + step.getClass());
    }

    private static String bar(int done, int total) {
        int width = 10;
        int filled = Math.min(width, Math.round((float) done * width / total));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    private static void say(String format, Object... args) {
        System.out.println("serin-sandbox: " + String.format(format, args));
    }

    /** Writes the kubeconfig that points kubectl at the simulated cluster. */
    static final class Kubeconfig {
        private Kubeconfig() {
        }

        static Path write(String url, Path file) throws java.io.IOException {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n",
                    "apiVersion: v1",
                    "kind: Config",
                    "clusters:",
                    "- name: serin-sandbox",
                    "  cluster:",
                    "    server: " + url,
                    "contexts:",
                    "- name: serin-sandbox",
                    "  context:",
                    "    cluster: serin-sandbox",
                    "    user: serin-sandbox",
                    "    namespace: payments",
                    "current-context: serin-sandbox",
                    "users:",
                    "- name: serin-sandbox",
                    "  user:",
                    "    token: sandbox",
                    ""));
            return file;
        }
    }
}
