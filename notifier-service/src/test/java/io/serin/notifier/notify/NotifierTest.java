package io.serin.notifier.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.events.WorkloadRef;
import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.notify.DeliveryOutcome.Result;
import io.serin.notifier.testing.WebhookStub;
import io.serin.notifier.testing.WebhookStub.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));
    private static final CloudEvent<ReleaseEvent> EVENT = CloudEvent.of(URI.create("/serin/planner"), "rel-7",
            Instant.parse("2025-05-01T10:15:30Z"), new ReleaseEvent.RolledBack("rel-7", 9,
                    Instant.parse("2025-05-01T10:15:30Z"),
                    new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway"), "analysis failed"));

    private final WebhookStub stub = WebhookStub.start();
    // waits are recorded, not slept, so the tests are fast and the backoffs can be checked exactly
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void postsTheSummaryAndTheWholeCloudEventAsJson() throws Exception {
        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome.result()).isEqualTo(Result.DELIVERED);
        WebhookStub.Request request = stub.requests().get(0);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.query()).isEqualTo("token=s3cr3t");
        JsonNode body = EventCodec.mapper().readTree(request.body());
        assertThat(body.get("summary").asText()).isEqualTo("payments/payment-gateway: rolled back: analysis failed");
        byte[] event = EventCodec.mapper().writeValueAsBytes(body.get("event"));
        assertThat(EventCodec.of(ReleaseEvent.class).decode(event)).isEqualTo(EVENT);
    }

    @Test
    void retriesOnServerErrorsThenDelivers() throws Exception {
        stub.replyWith(Reply.status(500), Reply.status(503));

        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 3, null));
        assertThat(stub.requests()).hasSize(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void honoursRetryAfterWhenThrottled() throws Exception {
        stub.replyWith(new Reply(429, Map.of("Retry-After", "1")));

        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 2, null));
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void waitsNoLongerThanMaxBackoffWhateverRetryAfterSays() throws Exception {
        stub.replyWith(new Reply(429, Map.of("Retry-After", "3600")));

        notifierFor(stub.url()).deliver(EVENT);

        assertThat(waits).containsExactly(RETRY.maxBackoff());
    }

    @Test
    void doesNotRetryAClientError() throws Exception {
        stub.replyWith(Reply.status(400));

        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.UNDELIVERABLE, 1,
                "webhook answered 400 after 1 attempt"));
        assertThat(stub.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        stub.replyWith(Reply.status(502), Reply.status(503), Reply.status(504));

        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.UNDELIVERABLE, 3,
                "webhook answered 504 after 3 attempts"));
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void retriesWhenTheWebhookDoesNotAnswerInTime() throws Exception {
        stub.replyWith(WebhookStub.HANG);

        DeliveryOutcome outcome = notifierFor(stub.url()).deliver(EVENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 2, null));
    }

    @Test
    void givesUpOnAnUnreachableWebhookWithoutNamingIt() throws Exception {
        URI unreachable = closedPortUrl();

        DeliveryOutcome outcome = notifierFor(unreachable).deliver(EVENT);

        assertThat(outcome.result()).isEqualTo(Result.UNDELIVERABLE);
        assertThat(outcome.reason()).isEqualTo("webhook unreachable (connection refused or failed) after 3 attempts");
        assertThat(waits).hasSize(2);
    }

    @Test
    void neverPutsTheWebhookUrlIntoAnExceptionMessage() throws Exception {
        URI unreachable = closedPortUrl();
        stub.replyWith(WebhookStub.HANG);

        assertRevealsNothing(() -> new WebhookClient(unreachable, TIMEOUT).post(notification()), unreachable);
        assertRevealsNothing(() -> new WebhookClient(stub.url(), TIMEOUT).post(notification()), stub.url());
        URI notHttp = URI.create("ftp://127.0.0.1/hooks/serin?token=s3cr3t");
        assertRevealsNothing(() -> new WebhookClient(notHttp, TIMEOUT), notHttp);
        assertThat(new WebhookClient(stub.url(), TIMEOUT).toString()).doesNotContain("s3cr3t", "/hooks/serin");
    }

    @Test
    void skipsEveryEventWhenNoWebhookIsConfigured() throws Exception {
        Notifier notifier = new Notifier(Optional.empty(), RETRY, new MessageFormatter(), waits::add);

        assertThat(notifier.deliver(EVENT).result()).isEqualTo(Result.SKIPPED);
        assertThat(stub.requests()).isEmpty();
    }

    private Notifier notifierFor(URI url) {
        return new Notifier(Optional.of(new WebhookClient(url, TIMEOUT)), RETRY, new MessageFormatter(), waits::add);
    }

    private static Notification notification() {
        return new Notification("summary", EVENT);
    }

    private static URI closedPortUrl() {
        try (WebhookStub closed = WebhookStub.start()) {
            return closed.url();
        }
    }

    private static void assertRevealsNothing(ThrowingCall call, URI url) {
        assertThatThrownBy(call::run).satisfies(thrown -> {
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t", url.getPath(),
                        String.valueOf(url.getPort()));
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws IOException, InterruptedException;
    }
}
