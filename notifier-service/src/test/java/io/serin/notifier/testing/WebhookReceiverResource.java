package io.serin.notifier.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts one local receiver per platform and points the notifier under test at them: the
 * {@code serin.notifier.webhook.url} shortcut (every event), and configured channels with routes.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    private static volatile WebhookStub stub;
    private static volatile WebhookStub slack;
    private static volatile WebhookStub teams;
    private static volatile WebhookStub discord;
    private static volatile WebhookStub googleChat;

    /** The shortcut webhook's receiver. */
    public static WebhookStub stub() {
        return stub;
    }

    /** Channel payments-slack: every event of namespace payments. */
    public static WebhookStub slack() {
        return slack;
    }

    /** Channel oncall-teams: errors of payments/payment-gateway; releases cannot request it. */
    public static WebhookStub teams() {
        return teams;
    }

    /** Channel release-discord: only where a release request asks for it. */
    public static WebhookStub discord() {
        return discord;
    }

    /** Channel audit-chat: warnings and errors of every release. */
    public static WebhookStub googleChat() {
        return googleChat;
    }

    @Override
    public Map<String, String> start() {
        stub = WebhookStub.start();
        slack = WebhookStub.start();
        teams = WebhookStub.start();
        discord = WebhookStub.start();
        googleChat = WebhookStub.start();
        Map<String, String> config = new HashMap<>(Map.of(
                "serin.notifier.webhook.url", stub.url().toString(),
                "serin.notifier.webhook.secret", "hmac-s3cr3t",
                "serin.notifier.retry.max-attempts", "3",
                "serin.notifier.retry.initial-backoff", "20ms",
                "serin.notifier.retry.max-backoff", "200ms",
                "serin.notifier.dashboard-url", "https://dash.example.com"));
        channel(config, "payments-slack", "slack", slack.url("/services/T0/B0/s3cr3t"));
        channel(config, "oncall-teams", "teams", teams.url("/workflows/run?sig=s3cr3t"));
        config.put("serin.notifier.channels.oncall-teams.requestable", "false");
        channel(config, "release-discord", "discord", discord.url("/api/webhooks/1/s3cr3t"));
        channel(config, "audit-chat", "google-chat", googleChat.url("/v1/spaces/AAA/messages?key=s3cr3t"));
        route(config, "payments", "payments-slack", "payments", null, "info");
        route(config, "gateway-oncall", "oncall-teams", "payments", "payment-gateway", "error");
        route(config, "audit", "audit-chat", null, null, "warn");
        return config;
    }

    private static void channel(Map<String, String> config, String name, String type, java.net.URI url) {
        config.put("serin.notifier.channels." + name + ".type", type);
        config.put("serin.notifier.channels." + name + ".url", url.toString());
    }

    private static void route(Map<String, String> config, String name, String channels, String namespace, String app,
            String minSeverity) {
        config.put("serin.notifier.routes." + name + ".channels", channels);
        if (namespace != null) {
            config.put("serin.notifier.routes." + name + ".namespace", namespace);
        }
        if (app != null) {
            config.put("serin.notifier.routes." + name + ".app", app);
        }
        config.put("serin.notifier.routes." + name + ".min-severity", minSeverity);
    }

    @Override
    public void stop() {
        for (WebhookStub s : new WebhookStub[] {stub, slack, teams, discord, googleChat}) {
            if (s != null) {
                s.close();
            }
        }
    }
}
