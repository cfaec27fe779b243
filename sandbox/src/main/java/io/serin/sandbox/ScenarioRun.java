package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import io.serin.events.WorkloadRef;
import io.serin.sandbox.traffic.AppTraffic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one release on a sandbox to its end, as the terminal shows it: every event, the chat messages,
 * and the live traffic split shortly after traffic moves. An API-versions release is left serving
 * both versions for {@code serveFor}, then an operator (the sandbox) retires the old one through the
 * planner's REST API.
 */
final class ScenarioRun {

    static final String OPERATOR = "sandbox-operator";
    /** Long enough for new pods to be ready and a tick of traffic to have used them. */
    private static final Duration TRAFFIC_SETTLES = Duration.ofSeconds(2);

    private final Sandbox sandbox;
    private final Duration serveFor;
    private final Consumer<String> out;

    ScenarioRun(Sandbox sandbox, Duration serveFor, Consumer<String> out) {
        this.sandbox = sandbox;
        this.serveFor = serveFor;
        this.out = out;
    }

    /** Submits {@code request} and returns its event log once it ended, or as far as it got by {@code timeout}. */
    List<ReleaseEvent> run(ReleaseRequested request, boolean retireWhenServing, Duration timeout)
            throws InterruptedException {
        String releaseId = request.releaseId();
        WorkloadRef target = request.target();
        ProgressDisplay display = new ProgressDisplay();
        boolean blueGreen = request.strategy() instanceof Strategy.BlueGreen;
        CountDownLatch ended = new CountDownLatch(1);
        Instant[] newVersionServing = new Instant[1];
        ScheduledExecutorService side = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scenario-" + releaseId);
            t.setDaemon(true);
            return t;
        });
        Consumer<ReleaseEvent> onEvent = e -> {
            if (!e.releaseId().equals(releaseId)) {
                return;
            }
            out.accept(display.render(e));
            if (e instanceof ReleaseEvent.StepCompleted s && newVersionServing[0] == null
                    && (s.traffic() != null && s.traffic().canaryWeight() > 0 || !blueGreen)) {
                // green behind its preview serves testers only; its clients come with the switch
                newVersionServing[0] = e.occurredAt();
            }
            boolean serving = e instanceof ReleaseEvent.Paused p && p.resumeAt() == null && retireWhenServing;
            if (serving) {
                side.execute(() -> retireOnceServed(releaseId, target));
            } else if (e instanceof ReleaseEvent.StepCompleted || e instanceof ReleaseEvent.Paused) {
                side.schedule(() -> showTraffic(target), TRAFFIC_SETTLES.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (e instanceof ReleaseEvent.RolledBack r && newVersionServing[0] != null) {
                double seconds = Duration.between(newVersionServing[0], r.occurredAt()).toMillis() / 1000.0;
                out.accept(String.format("           from the new version taking traffic to all traffic back on "
                        + "the old: %.1f s", seconds));
            }
            if (e instanceof ReleaseEvent.Promoted || e instanceof ReleaseEvent.RolledBack
                    || e instanceof ReleaseEvent.Failed || e instanceof ReleaseEvent.Rejected) {
                ended.countDown();
            }
        };
        // the notifier posts CloudEvents (structured mode); its one-line summary is an extension attribute
        Consumer<JsonNode> onChat = body -> {
            if (releaseId.equals(body.path("subject").asText())) {
                out.accept("           chat ← " + body.path("serinsummary").asText());
            }
        };
        sandbox.eventLog().onEvent(onEvent);
        sandbox.webhook().onMessage(onChat);
        try {
            sandbox.submit(request);
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                out.accept("no outcome after " + timeout.toSeconds() + " s; see " + sandbox.logDir());
            }
            return sandbox.events(releaseId);
        } finally {
            side.shutdownNow();
            sandbox.eventLog().remove(onEvent);
            sandbox.webhook().remove(onChat);
        }
    }

    /** Waits until the planner reports SERVING, shows both versions serving for a while, then retires the old. */
    private void retireOnceServed(String releaseId, WorkloadRef target) {
        try {
            PlannerApi planner = sandbox.plannerApi();
            Instant giveUp = Instant.now().plusSeconds(30);
            String phase = planner.phase(releaseId);
            while (!"SERVING".equals(phase)) {
                if (!"PAUSED".equals(phase) && phase != null || Instant.now().isAfter(giveUp)) {
                    return;
                }
                Thread.sleep(200);
                phase = planner.phase(releaseId);
            }
            out.accept("[ serving  ]     SERVING both versions; the old one is retired in " + serveFor.toSeconds()
                    + " s by " + OPERATOR + " (POST " + sandbox.plannerUrl() + "/releases/" + releaseId + "/retire)");
            Thread.sleep(Math.max(0, serveFor.minus(TRAFFIC_SETTLES).toMillis()));
            showTraffic(target);
            Thread.sleep(Math.min(serveFor.toMillis(), TRAFFIC_SETTLES.toMillis()));
            planner.act(releaseId, "retire", OPERATOR, "the sandbox's clients have moved on");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.accept("           could not retire " + releaseId + ": " + e.getMessage());
        }
    }

    private void showTraffic(WorkloadRef target) {
        for (AppTraffic app : sandbox.traffic().lastTick()) {
            if (app.namespace().equals(target.namespace()) && app.app().equals(target.name())) {
                out.accept("           traffic → " + app.describe());
            }
        }
    }
}
