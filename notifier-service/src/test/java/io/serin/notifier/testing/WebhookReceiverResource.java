package io.serin.notifier.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a {@link WebhookStub} and points the notifier under test at it. */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    private static volatile WebhookStub stub;

    /** The receiver of the running test application. */
    public static WebhookStub stub() {
        return stub;
    }

    @Override
    public Map<String, String> start() {
        stub = WebhookStub.start();
        return Map.of(
                "serin.notifier.webhook.url", stub.url().toString(),
                "serin.notifier.retry.initial-backoff", "20ms",
                "serin.notifier.retry.max-backoff", "200ms");
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
