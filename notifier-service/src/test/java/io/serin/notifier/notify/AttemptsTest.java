package io.serin.notifier.notify;

import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.notify.DeliveryOutcome.Result;
import io.serin.notifier.testing.WebhookStub;
import io.serin.notifier.testing.WebhookStub.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));
    private static final HttpPayload PAYLOAD = new HttpPayload("application/json",
            "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), Map.of("X-Extra", "1"));

    private final WebhookStub stub = WebhookStub.start();
    // waits are recorded, not slept, so the tests are fast and the backoffs can be checked exactly
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Attempts attempts = new Attempts(RETRY, waits::add);

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void postsThePayloadWithItsContentTypeAndHeaders() throws Exception {
        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 1, null));
        WebhookStub.Request request = stub.requests().get(0);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.query()).isEqualTo("token=s3cr3t");
        assertThat(request.body()).isEqualTo("{\"text\":\"hi\"}");
        assertThat(request.headers()).containsEntry("x-extra", "1");
    }

    @Test
    void retriesOnServerErrorsWithExponentialJitteredBackoffThenDelivers() throws Exception {
        stub.replyWith(Reply.status(500), Reply.status(503));

        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 3, null));
        assertThat(stub.requests()).hasSize(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void honoursRetryAfterWhenThrottled() throws Exception {
        stub.replyWith(new Reply(429, Map.of("Retry-After", "1")));

        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 2, null));
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void waitsNoLongerThanMaxBackoffWhateverRetryAfterSays() throws Exception {
        stub.replyWith(new Reply(429, Map.of("Retry-After", "3600")));

        attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(waits).containsExactly(RETRY.maxBackoff());
    }

    @Test
    void doesNotRetryAClientError() throws Exception {
        stub.replyWith(Reply.status(400));

        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.UNDELIVERABLE, 1,
                "webhook answered 400 after 1 attempt"));
        assertThat(stub.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void namesThePlatformThatRefused() throws Exception {
        stub.replyWith(Reply.status(404));
        Channel slack = new Channel("ops", Platform.SLACK, m -> PAYLOAD, new WebhookClient(stub.url(), TIMEOUT));

        assertThat(attempts.post(slack, PAYLOAD, "event e1").reason()).isEqualTo("slack answered 404 after 1 attempt");
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        stub.replyWith(Reply.status(502), Reply.status(503), Reply.status(504));

        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.UNDELIVERABLE, 3,
                "webhook answered 504 after 3 attempts"));
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void retriesWhenTheWebhookDoesNotAnswerInTime() throws Exception {
        stub.replyWith(WebhookStub.HANG);

        DeliveryOutcome outcome = attempts.post(channel(stub.url()), PAYLOAD, "event e1");

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.DELIVERED, 2, null));
    }

    @Test
    void givesUpOnAnUnreachableWebhookWithoutNamingIt() throws Exception {
        DeliveryOutcome outcome = attempts.post(channel(closedPortUrl()), PAYLOAD, "event e1");

        assertThat(outcome.result()).isEqualTo(Result.UNDELIVERABLE);
        assertThat(outcome.reason()).isEqualTo("webhook unreachable (connection refused or failed) after 3 attempts");
        assertThat(waits).hasSize(2);
    }

    @Test
    void neverPutsTheWebhookUrlIntoAnExceptionMessage() {
        URI unreachable = closedPortUrl();
        stub.replyWith(WebhookStub.HANG);

        assertRevealsNothing(() -> new WebhookClient(unreachable, TIMEOUT).post(PAYLOAD), unreachable);
        assertRevealsNothing(() -> new WebhookClient(stub.url(), TIMEOUT).post(PAYLOAD), stub.url());
        assertThat(new WebhookClient(stub.url(), TIMEOUT).toString()).doesNotContain("s3cr3t", "/hooks");
    }

    @Test
    void refusesAWebhookUrlThatIsNotHttpWithoutQuotingIt() {
        assertThatThrownBy(() -> new WebhookClient(URI.create("ftp://s3cr3t@example.com/x"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }

    private static Channel channel(URI url) {
        return new Channel("ops", Platform.WEBHOOK, m -> PAYLOAD, new WebhookClient(url, TIMEOUT));
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
