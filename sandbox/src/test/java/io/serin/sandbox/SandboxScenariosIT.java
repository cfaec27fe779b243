package io.serin.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.serin.events.AnalysisVerdict;
import io.serin.events.EventCodec;
import io.serin.events.MessageTypes;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseEvent;
import io.serin.events.Verdict;
import io.serin.sandbox.traffic.ClusterView;
import io.serin.testsupport.ExampleApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every strategy scenario of {@code ./sandbox.sh --scenario …}, headless, on one sandbox, one after
 * the other as an operator would run them: the final cluster objects, the release's ordered and
 * gapless event log, and the chat messages. The requests' analyses count what the traffic simulator
 * routed, so their evidence also shows that each router sent the new version the share it should.
 * Blue-green runs first: after an Istio release the VirtualService routes to the {@code stable}
 * subset, which a switched active Service no longer selects (see the report in docs).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxScenariosIT {

    private static final Duration OUTCOME = Duration.ofMinutes(4);
    private static final String PAY_IMAGE = ExampleApps.IMAGE;
    private static final String BOT_IMAGE = ExampleApps.CHATBOT_IMAGE;
    private static Sandbox sandbox;
    private static ScenarioRun run;

    @BeforeAll
    static void startSandbox() {
        Path home = Path.of(System.getProperty("serin.home", "..")).toAbsolutePath().normalize();
        sandbox = Sandbox.start(new Sandbox.Settings(home, home.resolve("sandbox/target/sandbox-scenarios-it"),
                Duration.ofMillis(300), 1000, Duration.ofMillis(250),
                "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        run = new ScenarioRun(sandbox, Duration.ofSeconds(5), line -> System.out.println("[scenarios-it] " + line));
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void blueGreenPreviewsToTestersThenSwitchesEveryClientAndPromotes() throws Exception {
        List<ReleaseEvent> log = run.run(Scenario.BLUE_GREEN.request("it-blue-green"), false, OUTCOME);

        assertGapless(log, "Accepted", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "StepStarted", "Paused", "Resumed", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "StepStarted", "Paused", "Resumed", "PromotionStarted", "Promoted");
        assertThat(descriptions(log)).satisfiesExactly(
                d -> assertThat(d).startsWith("start green (" + PAY_IMAGE + ":v2) at full size behind Service "
                        + "payment-gateway-preview"),
                d -> assertThat(d).startsWith("pre-promotion analysis: p99-latency"),
                d -> assertThat(d).isEqualTo("promote automatically in 5 s"),
                d -> assertThat(d).isEqualTo("switch Service payment-gateway to green"),
                d -> assertThat(d).startsWith("post-promotion analysis: error-rate"),
                d -> assertThat(d).isEqualTo("keep blue for 5 s for an instant rollback"));
        List<AnalysisVerdict> verdicts = verdicts(log);
        // before the switch only testers reach green: 5 req/s for 20 s; after it every client does
        assertThat(observations(evidence(verdicts.get(0), "p99-latency"))).isBetween(50L, 150L);
        assertThat(evidence(verdicts.get(1), "error-rate").denominator()).isGreaterThan(10_000.0);

        assertTarget("payments", "payment-gateway", PAY_IMAGE + ":v2");
        Service active = service("payments", "payment-gateway");
        assertThat(active.getSpec().getSelector()).isEqualTo(Map.of("app", "payment-gateway"));
        assertThat(service("payments", "payment-gateway-preview")).isNull();
        assertChat("it-blue-green", log);
    }

    @Test
    @Order(2)
    void abTestSendsOnlyTheBetaSegmentToTheNewVersionAndPromotes() throws Exception {
        List<ReleaseEvent> log = run.run(Scenario.AB_HEADER.request("it-ab-header"), false, OUTCOME);

        assertGapless(log, "Accepted", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "StepStarted", "AnalysisCompleted", "PromotionStarted", "Promoted");
        assertThat(descriptions(log)).containsExactly("requests with header x-user-group = beta go to the new version",
                "analysis 1 of 2: error-rate for PT15S", "analysis 2 of 2: error-rate for PT15S");
        // the beta segment is 10% of 1000 req/s: about 1500 requests in 15 s, and no weighted share besides
        for (AnalysisVerdict v : verdicts(log)) {
            assertThat(evidence(v, "error-rate").denominator()).isBetween(1_000.0, 2_000.0);
        }

        assertTarget("payments", "payment-gateway", PAY_IMAGE + ":v2");
        assertIstioRoutesRestored();
        assertChat("it-ab-header", log);
    }

    @Test
    @Order(3)
    void shadowJudgesTheMirroredCopiesAndPromotes() throws Exception {
        List<ReleaseEvent> log = run.run(Scenario.SHADOW.request("it-shadow"), false, OUTCOME);

        assertGapless(log, "Accepted", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "PromotionStarted", "Promoted");
        assertThat(descriptions(log)).containsExactly("mirror 50% of requests to the new version",
                "analysis of the mirrored traffic: error-rate, p99-latency for PT20S");
        // half of 1000 req/s copied for 20 s
        AnalysisVerdict verdict = verdicts(log).get(0);
        assertThat(evidence(verdict, "error-rate").denominator()).isBetween(7_000.0, 12_000.0);
        assertThat(evidence(verdict, "p99-latency").value()).isLessThanOrEqualTo(0.4);

        assertTarget("payments", "payment-gateway", PAY_IMAGE + ":v2");
        assertIstioRoutesRestored();
        assertChat("it-shadow", log);
    }

    @Test
    @Order(4)
    void apiVersionsServesV2BesideV1UntilAnOperatorRetiresV1() throws Exception {
        List<ReleaseEvent> log = run.run(Scenario.API_VERSIONS.request("it-api-versions"), true, OUTCOME);

        assertGapless(log, "Accepted", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "StepStarted", "Paused", "ActionApplied", "Resumed", "PromotionStarted", "Promoted");
        assertThat(descriptions(log)).containsExactly("requests under /v2 go to " + BOT_IMAGE + ":v2",
                "analysis of the new version: error-rate for PT20S",
                "both versions served side by side; retire the old one with action retire");
        // API v2 clients are 20% of 1000 req/s: about 4000 requests in 20 s
        assertThat(evidence(verdicts(log).get(0), "error-rate").denominator()).isBetween(2_500.0, 5_000.0);
        ReleaseEvent.ActionApplied retire = (ReleaseEvent.ActionApplied) log.get(7);
        assertThat(retire.action()).isEqualTo(ReleaseAction.RETIRE);
        assertThat(retire.requestedBy()).isEqualTo(ScenarioRun.OPERATOR);

        assertTarget("support", "chatbot", BOT_IMAGE + ":v2");
        assertThat(sandbox.kubernetes().network().v1().ingresses().inNamespace("support").list().getItems())
                .extracting(i -> i.getMetadata().getName()).containsExactly("chatbot");
        assertThat(service("support", "chatbot").getSpec().getSelector()).containsEntry("app", "chatbot");
        assertChat("it-api-versions", log);
    }

    @Test
    @Order(5)
    void theRequestPrintedForSubmittingByHandIsCarriedOut() throws Exception {
        // a token as the sandbox tells a person to get one: the local issuer's password grant
        HttpResponse<String> issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        sandbox.tokenUrl())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=it-user&password="
                        + sandbox.tokenPassword() + "&groups=" + SandboxAccess.OPERATORS)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = EventCodec.mapper().readTree(issued.body()).path("access_token").asText();
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.plannerUrl() + "/releases")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RequestBodies.SLOW_CHATBOT_CANARY)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("without a token").isEqualTo(401);
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.plannerUrl() + "/releases")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(RequestBodies.SLOW_CHATBOT_CANARY)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String releaseId = EventCodec.mapper().readTree(accepted.body()).path("releaseId").asText();

        await().atMost(OUTCOME).pollInterval(Duration.ofMillis(500)).until(() -> ended(sandbox.events(releaseId)));
        List<ReleaseEvent> log = sandbox.events(releaseId);

        assertGapless(log, "Accepted", "StepStarted", "StepCompleted", "StepStarted", "AnalysisCompleted",
                "RollbackStarted", "RolledBack");
        AnalysisVerdict verdict = verdicts(log).get(0);
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(evidence(verdict, "p99-latency").value()).isGreaterThan(0.4);
        assertThat(((ReleaseEvent.Accepted) log.get(0)).request().requestedBy()).isEqualTo("it-user");

        assertTarget("support", "chatbot", BOT_IMAGE + ":v2");
        assertThat(sandbox.kubernetes().network().v1().ingresses().inNamespace("support").withName("chatbot-canary")
                .get()).isNull();
        assertChat(releaseId, log);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.metricsUrl()))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains(
                "http_requests_total{namespace=\"support\",workload=\"chatbot\",variant=\"canary\"}",
                "http_request_errors_total{namespace=\"payments\",workload=\"payment-gateway\",variant=\"stable\"}");
    }

    /**
     * The rule: a URL is shown nowhere (events, chat, the API, any service's log) with its userinfo or
     * query. Two secrets: one in the URL of the executor's named gate {@code gate:sandbox} (its
     * configuration), which must be called with it; one in the userinfo and query of a plain gate URL a
     * request carries to a private address, which the executor must refuse (and which must not reach
     * loopback either: no plain URL is allowed there). No event, chat payload, API answer or log line
     * of the run may contain either.
     */
    @Test
    @Order(6)
    void aSecretInAGateUrlIsUsedButShownNowhere() throws Exception {
        String secret = "s3cret" + java.util.UUID.randomUUID().toString().replace("-", "");
        String allowed = "gate:sandbox";
        String refused = "https://ci:" + secret + "@10.0.0.1/gate?token=" + secret;
        String[] ids = new String[2];
        String[] gates = {allowed, refused};
        for (int i = 0; i < 2; i++) {
            String body = """
                    {"target": {"kind": "Deployment", "namespace": "%s", "name": "%s"},
                     "to": {"image": "%s"},
                     "strategy": {"type": "rolling", "gates": {"beforeRollout": {"url": "%s"}}}}
                    """.formatted(i == 0 ? "payments" : "support", i == 0 ? "payment-gateway" : "chatbot",
                    i == 0 ? ExampleApps.IMAGE + ":v4" : BOT_IMAGE + ":v4", gates[i]);
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(sandbox.plannerUrl() + "/releases")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + sandbox.token("it-secrets"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ids[i] = EventCodec.mapper().readTree(accepted.body()).path("releaseId").asText();
        }
        for (String id : ids) {
            await().atMost(OUTCOME).pollInterval(Duration.ofMillis(500)).until(() -> ended(sandbox.events(id)));
        }
        assertThat(sandbox.events(ids[0]).get(sandbox.events(ids[0]).size() - 1))
                .isInstanceOf(ReleaseEvent.Promoted.class);
        assertThat(sandbox.webhook().gateCalls()).as("the named gate was called with its secret")
                .anySatisfy(call -> assertThat(call).contains("token=" + sandbox.gateToken()));
        List<ReleaseEvent> refusedLog = sandbox.events(ids[1]);
        assertThat(refusedLog.get(refusedLog.size() - 1)).as("the refused gate ends the release")
                .isInstanceOfAny(ReleaseEvent.RolledBack.class, ReleaseEvent.Failed.class);
        assertThat(EventCodec.mapper().writeValueAsString(refusedLog)).contains("10.0.0.1");

        StringBuilder shown = new StringBuilder();
        for (String id : ids) {
            shown.append(EventCodec.mapper().writeValueAsString(sandbox.events(id)));
            shown.append(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.plannerUrl()
                    + "/releases/" + id)).header("Authorization", "Bearer " + sandbox.token("it-secrets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        sandbox.webhook().received().forEach(chat -> shown.append(chat.toString()));
        assertThat(shown.toString()).as("events, API answers and chat payloads").contains(ids[0])
                .doesNotContain(secret).doesNotContain(sandbox.gateToken());
        try (var files = java.nio.file.Files.walk(sandbox.logDir())) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(lines).as(file.toString())
                        .noneMatch(line -> line.contains(secret) || line.contains(sandbox.gateToken()));
            }
        }
    }

    private static boolean ended(List<ReleaseEvent> log) {
        return !log.isEmpty() && (log.get(log.size() - 1) instanceof ReleaseEvent.Promoted
                || log.get(log.size() - 1) instanceof ReleaseEvent.RolledBack
                || log.get(log.size() - 1) instanceof ReleaseEvent.Failed
                || log.get(log.size() - 1) instanceof ReleaseEvent.Rejected);
    }

    private static void assertGapless(List<ReleaseEvent> log, String... types) {
        assertThat(log).extracting(e -> e.getClass().getSimpleName()).containsExactly(types);
        assertThat(log).extracting(ReleaseEvent::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, types.length).boxed().toList());
    }

    private static List<String> descriptions(List<ReleaseEvent> log) {
        return log.stream().filter(ReleaseEvent.StepStarted.class::isInstance)
                .map(e -> ((ReleaseEvent.StepStarted) e).description()).toList();
    }

    /** Every analysis of the release, each SUCCESSFUL unless the release was rolled back. */
    private static List<AnalysisVerdict> verdicts(List<ReleaseEvent> log) {
        List<AnalysisVerdict> verdicts = log.stream().filter(ReleaseEvent.AnalysisCompleted.class::isInstance)
                .map(e -> ((ReleaseEvent.AnalysisCompleted) e).verdict()).toList();
        if (log.get(log.size() - 1) instanceof ReleaseEvent.Promoted) {
            assertThat(verdicts).extracting(AnalysisVerdict::verdict).containsOnly(Verdict.SUCCESSFUL);
        }
        return verdicts;
    }

    private static MetricEvidence evidence(AnalysisVerdict verdict, String metric) {
        return verdict.metrics().stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow();
    }

    /** A latency check's observation count, which its evidence gives in words only. */
    private static long observations(MetricEvidence latency) {
        Matcher m = Pattern.compile("\\((\\d+) observations over").matcher(latency.reason());
        assertThat(m.find()).as(latency.reason()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The target runs {@code image} on all its pods, and nothing a release added beside it is left. */
    private static void assertTarget(String namespace, String name, String image) {
        Deployment target = sandbox.kubernetes().apps().deployments().inNamespace(namespace).withName(name).get();
        assertThat(target.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(image);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Deployment d = sandbox.kubernetes().apps().deployments().inNamespace(namespace).withName(name).get();
            return d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas());
        });
        assertThat(sandbox.kubernetes().apps().deployments().inNamespace(namespace).list().getItems())
                .extracting(d -> d.getMetadata().getName()).containsExactly(name);
        assertThat(service(namespace, name + "-canary")).isNull();
    }

    /** Serin's routes are gone from the VirtualService: one route, all to payment-gateway, no mirror. */
    @SuppressWarnings("unchecked")
    private static void assertIstioRoutesRestored() {
        GenericKubernetesResource vs = sandbox.kubernetes().genericKubernetesResources(ClusterView.VIRTUAL_SERVICES)
                .inNamespace("payments").withName("payment-gateway").get();
        List<Map<String, Object>> http = vs.get("spec", "http");
        assertThat(http).singleElement().satisfies(route -> {
            assertThat(route).containsEntry("name", "primary").doesNotContainKeys("mirror", "mirrorPercentage");
            List<Map<String, Object>> destinations = (List<Map<String, Object>>) route.get("route");
            assertThat(destinations).singleElement().satisfies(d -> {
                assertThat(d).doesNotContainKey("weight");
                assertThat((Map<String, Object>) d.get("destination")).containsEntry("host", "payment-gateway");
            });
        });
    }

    private static Service service(String namespace, String name) {
        return sandbox.kubernetes().services().inNamespace(namespace).withName(name).get();
    }

    /** One chat message per event, in the log's order, of the event's type. */
    private static void assertChat(String releaseId, List<ReleaseEvent> log) {
        await().atMost(Duration.ofSeconds(30)).until(() -> chat(releaseId).size() >= log.size());
        List<JsonNode> calls = chat(releaseId);
        assertThat(calls).extracting(c -> c.path("data").path("sequence").asLong())
                .containsExactlyElementsOf(log.stream().map(ReleaseEvent::sequence).toList());
        assertThat(calls).extracting(c -> c.path("type").asText())
                .containsExactlyElementsOf(log.stream().map(e -> MessageTypes.typeOf(e.getClass())).toList());
        assertThat(calls).allSatisfy(c -> assertThat(c.path("serinsummary").asText()).isNotBlank());
    }

    private static List<JsonNode> chat(String releaseId) {
        return sandbox.webhook().received().stream().filter(b -> releaseId.equals(b.path("subject").asText()))
                .toList();
    }
}
