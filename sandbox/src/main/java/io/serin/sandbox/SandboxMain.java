package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.ReleaseRequested;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The README's run command: starts the sandbox, runs the demo release of a scenario and follows it
 * in the terminal until it ends; with {@code --keep}, stays up and follows any release submitted by
 * hand.
 */
public final class SandboxMain {

    static final String USAGE = "usage: sandbox.sh [--scenario healthy|bad|blue-green|ab-header|shadow|api-versions"
            + "|all|none] [--analysis PT20S] [--serve PT15S] [--keep]";
    /** Preferred ports, as in docker-compose.yml (planner) and the usual exporter port (metrics), when free. */
    static final int PLANNER_PORT = 8081;
    static final int METRICS_PORT = 9464;

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Scenario> scenarios = List.of(Scenario.HEALTHY);
        Duration analysis = null;
        Duration serveFor = Duration.ofSeconds(15);
        boolean keep = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--scenario" -> scenarios = scenarios(args[++i]);
                    case "--analysis" -> analysis = Duration.parse(args[++i]);
                    case "--serve" -> serveFor = Duration.parse(args[++i]);
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("serin.home", ".")).toAbsolutePath().normalize();
        Instant started = Instant.now();
        say("starting Kafka (KRaft), a simulated Kubernetes cluster and the four Serin services …");
        Sandbox sandbox = Sandbox.start(Sandbox.Settings.defaults(home)
                .withPorts(Sandbox.ifFree(METRICS_PORT), Sandbox.ifFree(PLANNER_PORT)));
        Path kubeconfig = Kubeconfig.write(sandbox.kubernetesUrl(), home.resolve(".sandbox/kubeconfig"));
        say("ready in %ds. Kafka: %s; services' logs: %s", Duration.between(started, Instant.now()).toSeconds(),
                sandbox.bootstrapServers(), sandbox.logDir());
        say("cluster: export KUBECONFIG=%s", kubeconfig);
        say("traffic (Prometheus format): curl %s", sandbox.metricsUrl());
        say("releases: curl -H \"Authorization: Bearer $TOKEN\" %s/releases   (TOKEN: see below)", sandbox.plannerUrl());
        printHowToSubmit(sandbox, home);

        ScenarioRun run = new ScenarioRun(sandbox, serveFor, System.out::println);
        String time = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        for (Scenario scenario : scenarios) {
            String releaseId = "demo-" + (scenarios.size() > 1 ? scenario.flag() + "-" : "") + time;
            ReleaseRequested request = analysis == null ? scenario.request(releaseId)
                    : scenario.request(releaseId, analysis);
            say("submitting %s: %s → %s (%s scenario)", releaseId, request.target(), request.to().image(),
                    scenario.flag());
            run.run(request, scenario.servesUntilRetired(), Duration.ofMinutes(10));
        }
        if (keep || scenarios.isEmpty()) {
            followEverything(sandbox);
            say("sandbox keeps running; Ctrl-C stops it");
            Thread.currentThread().join();
        }
        say("stopping …");
        sandbox.close();
        System.exit(0);
    }

    private static List<Scenario> scenarios(String flag) {
        return switch (flag) {
            case "none" -> List.of();
            case "all" -> List.of(Scenario.values());
            default -> List.of(Scenario.ofFlag(flag));
        };
    }

    /**
     * Writes every scenario's request body, without a release id (the planner generates one) nor
     * requester (the bearer token names one), so a person can submit it again, or edit it.
     */
    private static void printHowToSubmit(Sandbox sandbox, Path home) throws IOException {
        Path dir = home.resolve(".sandbox/requests");
        Files.createDirectories(dir);
        for (Scenario s : Scenario.values()) {
            ReleaseRequested body = RequestBodies.anonymous(s.request(null));
            Files.writeString(dir.resolve(s.flag() + ".json"), RequestBodies.json(body));
        }
        Path token = home.resolve(".sandbox/token");
        Files.writeString(token, sandbox.token("you"));
        say("every API call needs a bearer token: export TOKEN=$(cat %s)   (user 'you', valid 12 h)",
                home.relativize(token));
        say("or from the sandbox's local OIDC issuer, for any user name (users in group %s may do everything "
                + "with releases in %s):", SandboxAccess.OPERATORS, SandboxAccess.NAMESPACES);
        System.out.println("  export TOKEN=$(curl -s " + sandbox.tokenUrl() + " -d grant_type=password -d username=you"
                + " -d password=" + sandbox.tokenPassword() + " -d groups=" + SandboxAccess.OPERATORS
                + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        String curl = "curl -i -X POST " + sandbox.plannerUrl()
                + "/releases -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' ";
        say("submit your own release (the sandbox follows it while it runs; --keep keeps it up):");
        System.out.println("  " + curl + "-d @" + home.relativize(dir.resolve("ab-header.json")));
        System.out.println("  (one body per scenario in " + home.relativize(dir) + "/; the \"data\" of any "
                + "docs/examples/strategies/*.json works too, or inline:)");
        System.out.println("  " + curl + "-d '" + RequestBodies.SLOW_CHATBOT_CANARY + "'");
        System.out.println("  then: curl -H \"Authorization: Bearer $TOKEN\" " + sandbox.plannerUrl()
                + "/releases/<releaseId>   ·   POST …/releases/<releaseId>/promote|pause|resume|abort|retire with "
                + "-H 'X-Requested-By: you' (or a JSON body)");
    }

    /** After the demo: every release's events and chat messages, each line prefixed with its release. */
    private static void followEverything(Sandbox sandbox) {
        Map<String, ProgressDisplay> displays = new ConcurrentHashMap<>();
        sandbox.eventLog().onEvent(e -> System.out.println(e.releaseId() + " " + displays
                .computeIfAbsent(e.releaseId(), k -> new ProgressDisplay()).render(e)));
        Consumer<JsonNode> chat = body -> System.out.println(body.path("subject").asText() + "            chat ← "
                + body.path("serinsummary").asText());
        sandbox.webhook().onMessage(chat);
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
