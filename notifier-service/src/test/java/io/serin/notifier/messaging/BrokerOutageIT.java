package io.serin.notifier.messaging;

import io.serin.notifier.chat.Renderers;
import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.config.NotifierConfig;
import io.serin.notifier.notify.Attempts;
import io.serin.notifier.notify.Channel;
import io.serin.notifier.notify.DeliveryListener;
import io.serin.notifier.notify.DeliveryLog;
import io.serin.notifier.notify.DeliveryOutcome;
import io.serin.notifier.notify.DeliveryOutcome.Result;
import io.serin.notifier.notify.Dispatcher;
import io.serin.notifier.notify.MessageComposer;
import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.RetryPolicy;
import io.serin.notifier.notify.Sleeper;
import io.serin.notifier.notify.Webhook;
import io.serin.notifier.notify.WebhookAnswer;
import io.serin.notifier.testing.Samples;
import io.serin.notifier.testing.WebhookStub;
import io.serin.testsupport.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker becomes unreachable right after a platform answered 2xx (its process frozen with
 * SIGSTOP, as a network partition would leave it), then comes back. A broker of its own, so that
 * freezing it disturbs no other test.
 */
class BrokerOutageIT {

    private static KafkaBroker broker;

    private final NotifierConfig.State settings = KafkaNotifierStateIT.settings("it.deliveries", "it.releases");
    private final MessageComposer composer = new MessageComposer(Optional.empty());

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(1);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        signal("CONT");
        broker.close();
    }

    @Test
    void keepsTheLaneAliveAndNeverPostsAgainWhileTheDeliveryCannotBeRecorded() throws Exception {
        AtomicBoolean outageAfterNextAnswer = new AtomicBoolean(true);
        try (WebhookStub receiver = WebhookStub.start();
                KafkaNotifierState state = KafkaNotifierState.start(broker.bootstrapServers(), settings);
                Dispatcher dispatcher = new Dispatcher(state, new Attempts(new RetryPolicy(3, Duration.ofMillis(10),
                        Duration.ofMillis(50)), Sleeper.REAL), DeliveryListener.NONE,
                        new RetryPolicy(1, Duration.ofMillis(50), Duration.ofMillis(500)), Sleeper.REAL, 10)) {
            Webhook client = new WebhookClient(receiver.url(), Duration.ofSeconds(2));
            Channel slack = new Channel("payments-slack", Platform.SLACK, Renderers.of(Platform.SLACK,
                    Optional.empty()), payload -> {
                        WebhookAnswer answer = client.post(payload);
                        if (outageAfterNextAnswer.getAndSet(false)) {
                            signal("STOP");
                        }
                        return answer;
                    });

            CompletableFuture<DeliveryOutcome> during = dispatcher.submit(slack, message("rel-out", 1), (c, r) -> { });

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() == 1);
            // the record keeps failing (write timeout 5 s): the lane waits, neither failing nor posting again
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.requests().size() == 1 && !during.isDone());
            signal("CONT");

            assertThat(during).succeedsWithin(Duration.ofSeconds(60)).extracting(DeliveryOutcome::result)
                    .isEqualTo(Result.DELIVERED);
            assertThat(state.outcome("payments-slack", "rel-out-1")).contains(DeliveryLog.Outcome.DELIVERED);
            assertThat(dispatcher.submit(slack, message("rel-out", 2), (c, r) -> { }))
                    .succeedsWithin(Duration.ofSeconds(30)).extracting(DeliveryOutcome::result)
                    .isEqualTo(Result.DELIVERED);
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    private io.serin.notifier.notify.ChatMessage message(String releaseId, long sequence) {
        return composer.compose(Samples.envelope(Samples.failedAnalysis(releaseId, sequence)), null, Platform.SLACK);
    }

    private static void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(broker.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
