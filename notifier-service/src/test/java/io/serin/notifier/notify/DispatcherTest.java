package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.chat.Renderers;
import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.notify.DeliveryOutcome.Result;
import io.serin.notifier.testing.LogCapture;
import io.serin.notifier.testing.MemoryDeliveryLog;
import io.serin.notifier.testing.ScriptedDeliveryLog;
import io.serin.notifier.testing.Samples;
import io.serin.notifier.testing.WebhookStub;
import io.serin.notifier.testing.WebhookStub.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DispatcherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final List<ReleaseEvent> LOG = Samples.failingCanary("rel-7", null);

    private final WebhookStub slow = WebhookStub.start();
    private final WebhookStub healthy = WebhookStub.start();
    private final MemoryDeliveryLog deliveries = new MemoryDeliveryLog();
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher = new Dispatcher(deliveries,
            new Attempts(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), waits::add),
            DeliveryListener.NONE);
    private final MessageComposer composer = new MessageComposer(Optional.empty());

    private final List<Dispatcher> extra = new ArrayList<>();

    @AfterEach
    void stop() {
        dispatcher.close();
        extra.forEach(Dispatcher::close);
        slow.close();
        healthy.close();
    }

    @Test
    void keepsOneReleasesMessagesInLogOrderPerChannel() {
        Channel channel = channel("ops", Platform.WEBHOOK, healthy.url());
        healthy.replyWith(Reply.status(503), Reply.status(500)); // the first event needs retries, the rest must wait

        List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>();
        for (ReleaseEvent event : LOG) {
            outcomes.add(dispatcher.submit(channel, message(event, Platform.WEBHOOK), this::deadLetter));
        }

        assertThat(outcomes).allSatisfy(f -> assertThat(f).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(healthy.requests()).extracting(r -> r.body().replaceAll(".*\"sequence\":(\\d+).*", "$1"))
                .containsExactly("1", "1", "1", "2", "3", "4", "5", "6", "7");
    }

    @Test
    void neverLetsADeadChannelDelayAnother() {
        slow.replyWith(WebhookStub.HANG, WebhookStub.HANG, WebhookStub.HANG);
        Channel dead = channel("dead-slack", Platform.SLACK, slow.url());
        Channel alive = channel("alive-discord", Platform.DISCORD, healthy.url());

        CompletableFuture<DeliveryOutcome> stuck = dispatcher.submit(dead, message(LOG.get(0), Platform.SLACK),
                this::deadLetter);
        List<CompletableFuture<DeliveryOutcome>> fine = LOG.stream()
                .map(e -> dispatcher.submit(alive, message(e, Platform.DISCORD), this::deadLetter)).toList();

        assertThat(fine).allSatisfy(f -> assertThat(f).succeedsWithin(Duration.ofSeconds(1))
                .extracting(DeliveryOutcome::result).isEqualTo(Result.DELIVERED));
        assertThat(stuck).isNotDone();
        assertThat(healthy.requests()).hasSize(LOG.size());
    }

    @Test
    void postsAnEventToAChannelOnlyOnceHoweverOftenItIsSubmitted() throws Exception {
        Channel channel = channel("ops", Platform.SLACK, healthy.url());
        ChatMessage message = message(LOG.get(4), Platform.SLACK);

        DeliveryOutcome first = dispatcher.submit(channel, message, this::deadLetter).get(5, TimeUnit.SECONDS);
        DeliveryOutcome second = dispatcher.submit(channel, message, this::deadLetter).get(5, TimeUnit.SECONDS);
        DeliveryOutcome elsewhere = dispatcher.submit(channel("other", Platform.SLACK, healthy.url()), message,
                this::deadLetter).get(5, TimeUnit.SECONDS);

        assertThat(first.result()).isEqualTo(Result.DELIVERED);
        assertThat(second.result()).isEqualTo(Result.DUPLICATE);
        assertThat(elsewhere.result()).isEqualTo(Result.DELIVERED);
        assertThat(healthy.requests()).hasSize(2);
        assertThat(deliveries.all()).containsEntry("ops/rel-7-5", DeliveryLog.Outcome.DELIVERED);
    }

    @Test
    void deadLettersWithTheChannelNameAfterMaxAttemptsAndOnlyOnce() throws Exception {
        healthy.replyWith(Reply.status(500), Reply.status(502), Reply.status(503));
        Channel channel = channel("payments-teams", Platform.TEAMS, healthy.url());
        ChatMessage message = message(LOG.get(6), Platform.TEAMS);

        DeliveryOutcome outcome = dispatcher.submit(channel, message, this::deadLetter).get(5, TimeUnit.SECONDS);
        DeliveryOutcome again = dispatcher.submit(channel, message, this::deadLetter).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(Result.UNDELIVERABLE, 3, "teams answered 503 after 3 attempts"));
        assertThat(again.result()).isEqualTo(Result.DUPLICATE);
        assertThat(deadLetters).containsExactly("payments-teams: teams answered 503 after 3 attempts");
        assertThat(waits).hasSize(2);
    }

    @Test
    void neverLogsAWebhookUrlOrSecretWhateverGoesWrong() throws Exception {
        URI secretUrl = healthy.url("/services/T000/B000/XXXXsecretXXXX?token=s3cr3t");
        URI unreachable = closedPortUrl();
        healthy.replyWith(Reply.status(500), Reply.status(429), Reply.status(400), Reply.status(404));
        try (LogCapture logs = new LogCapture()) {
            Channel signed = new Channel("hook", Platform.WEBHOOK, Renderers.of(Platform.WEBHOOK,
                    Optional.of("hmac-k3y")), new WebhookClient(secretUrl, TIMEOUT));
            Channel gone = channel("gone", Platform.GOOGLE_CHAT, unreachable);
            for (ReleaseEvent event : LOG.subList(0, 3)) {
                dispatcher.submit(signed, message(event, Platform.WEBHOOK), this::deadLetter).get(5, TimeUnit.SECONDS);
            }
            dispatcher.submit(gone, message(LOG.get(0), Platform.GOOGLE_CHAT), this::deadLetter)
                    .get(5, TimeUnit.SECONDS);

            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("dead-lettered"))
                    .anySatisfy(l -> assertThat(l).contains("retrying"))
                    .allSatisfy(l -> assertThat(l).doesNotContain("s3cr3t", "XXXXsecretXXXX", "hmac-k3y",
                            "/services/", ":" + secretUrl.getPort(), ":" + unreachable.getPort()));
            assertThat(deadLetters).allSatisfy(d -> assertThat(d).doesNotContain("s3cr3t", "XXXXsecretXXXX",
                    String.valueOf(secretUrl.getPort()), String.valueOf(unreachable.getPort())));
        }
    }

    @Test
    void dispatchesEveryPlatformThroughItsRenderer() {
        for (Platform platform : Platform.values()) {
            Channel channel = channel("c-" + platform.configName(), platform, healthy.url());
            assertThat(dispatcher.submit(channel, message(LOG.get(4), platform), this::deadLetter))
                    .succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result)
                    .isEqualTo(Result.DELIVERED);
        }
        await().untilAsserted(() -> assertThat(healthy.requests()).extracting(WebhookStub.Request::contentType)
                .containsExactly("application/json", "application/json", "application/json", "application/json",
                        "application/cloudevents+json; charset=utf-8"));
    }

    @Test
    void writesAheadBeforePostingAndRecordsTheAnswerAfter() {
        ScriptedDeliveryLog log = new ScriptedDeliveryLog();
        List<String> seenAtPost = new CopyOnWriteArrayList<>();
        Channel channel = new Channel("ops", Platform.SLACK, Renderers.of(Platform.SLACK, Optional.empty()),
                payload -> {
                    seenAtPost.addAll(log.writes());
                    return WebhookAnswer.of(200);
                });

        assertThat(dispatcher(log, 10).submit(channel, message(LOG.get(0), Platform.SLACK), this::deadLetter))
                .succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result).isEqualTo(Result.DELIVERED);

        assertThat(seenAtPost).containsExactly("ATTEMPTING ops/rel-7-1");
        assertThat(log.writes()).containsExactly("ATTEMPTING ops/rel-7-1", "DELIVERED ops/rel-7-1");
    }

    @Test
    void keepsRecordingADeliveredPostUntilItIsDurableWithoutPostingAgain() {
        ScriptedDeliveryLog log = new ScriptedDeliveryLog().failing(DeliveryLog.Outcome.DELIVERED, 5);
        Channel channel = channel("ops", Platform.SLACK, healthy.url());
        Dispatcher dispatcher = dispatcher(log, 10);

        CompletableFuture<DeliveryOutcome> first = dispatcher.submit(channel, message(LOG.get(0), Platform.SLACK),
                this::deadLetter);
        CompletableFuture<DeliveryOutcome> next = dispatcher.submit(channel, message(LOG.get(1), Platform.SLACK),
                this::deadLetter);

        assertThat(first).succeedsWithin(Duration.ofSeconds(10)).extracting(DeliveryOutcome::result)
                .isEqualTo(Result.DELIVERED);
        assertThat(next).succeedsWithin(Duration.ofSeconds(10)).extracting(DeliveryOutcome::result)
                .isEqualTo(Result.DELIVERED);
        assertThat(healthy.requests()).hasSize(2);
        assertThat(log.writes()).filteredOn(w -> w.endsWith("ops/rel-7-1"))
                .containsExactly("ATTEMPTING ops/rel-7-1", "failed DELIVERED ops/rel-7-1",
                        "failed DELIVERED ops/rel-7-1", "failed DELIVERED ops/rel-7-1", "failed DELIVERED ops/rel-7-1",
                        "failed DELIVERED ops/rel-7-1", "DELIVERED ops/rel-7-1");
        assertThat(log.all()).containsEntry("ops/rel-7-1", DeliveryLog.Outcome.DELIVERED);
    }

    @Test
    void postsNothingUntilItsWriteAheadIsDurable() {
        ScriptedDeliveryLog log = new ScriptedDeliveryLog().failing(DeliveryLog.Outcome.ATTEMPTING, 3);
        Channel channel = channel("ops", Platform.WEBHOOK, healthy.url());

        assertThat(dispatcher(log, 10).submit(channel, message(LOG.get(0), Platform.WEBHOOK), this::deadLetter))
                .succeedsWithin(Duration.ofSeconds(10)).extracting(DeliveryOutcome::result).isEqualTo(Result.DELIVERED);

        assertThat(healthy.requests()).hasSize(1);
        assertThat(log.writes()).containsExactly("failed ATTEMPTING ops/rel-7-1", "failed ATTEMPTING ops/rel-7-1",
                "failed ATTEMPTING ops/rel-7-1", "ATTEMPTING ops/rel-7-1", "DELIVERED ops/rel-7-1");
    }

    @Test
    void repostsAnUncertainDeliveryWithTheSameKeyOrSkipsItAsTheChannelSays() {
        ScriptedDeliveryLog log = new ScriptedDeliveryLog()
                .with("chat", "rel-7-5", DeliveryLog.Outcome.ATTEMPTING)
                .with("slack-repost", "rel-7-5", DeliveryLog.Outcome.ATTEMPTING)
                .with("slack-skip", "rel-7-5", DeliveryLog.Outcome.ATTEMPTING);
        Dispatcher dispatcher = dispatcher(log, 10);
        Channel chat = channel("chat", Platform.GOOGLE_CHAT, healthy.url());
        Channel repost = channel("slack-repost", Platform.SLACK, healthy.url());
        Channel skip = new Channel("slack-skip", Platform.SLACK, Renderers.of(Platform.SLACK, Optional.empty()),
                new WebhookClient(slow.url(), TIMEOUT), UncertainDelivery.SKIP);

        assertThat(dispatcher.submit(chat, message(LOG.get(4), Platform.GOOGLE_CHAT), this::deadLetter))
                .succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result).isEqualTo(Result.DELIVERED);
        assertThat(dispatcher.submit(repost, message(LOG.get(4), Platform.SLACK), this::deadLetter))
                .succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result).isEqualTo(Result.DELIVERED);
        assertThat(dispatcher.submit(skip, message(LOG.get(4), Platform.SLACK), this::deadLetter))
                .succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result)
                .isEqualTo(Result.SKIPPED_UNCERTAIN);

        assertThat(healthy.requests()).hasSize(2);
        assertThat(healthy.requests().get(0).query()).endsWith("requestId=" + Dispatcher.deliveryKey(chat, "rel-7-5"));
        assertThat(slow.requests()).isEmpty();
        assertThat(log.all()).containsEntry("chat/rel-7-5", DeliveryLog.Outcome.DELIVERED)
                .containsEntry("slack-repost/rel-7-5", DeliveryLog.Outcome.DELIVERED)
                .containsEntry("slack-skip/rel-7-5", DeliveryLog.Outcome.SKIPPED);
    }

    @Test
    void dropsQueuedDeliveriesOnceThePartitionHasMovedElsewhere() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        List<HttpPayload> posted = new CopyOnWriteArrayList<>();
        Channel channel = new Channel("ops", Platform.WEBHOOK, Renderers.of(Platform.WEBHOOK, Optional.empty()),
                payload -> {
                    posted.add(payload);
                    answer.await(10, TimeUnit.SECONDS);
                    return WebhookAnswer.of(200);
                });
        AtomicBoolean owned = new AtomicBoolean(true);
        Dispatcher dispatcher = dispatcher(deliveries, 10);

        Dispatcher.Dispatch inFlight = dispatcher.dispatch(channel, message(LOG.get(0), Platform.WEBHOOK),
                this::deadLetter, owned::get);
        await().until(() -> posted.size() == 1);
        Dispatcher.Dispatch queued = dispatcher.dispatch(channel, message(LOG.get(1), Platform.WEBHOOK),
                this::deadLetter, owned::get);
        owned.set(false);
        answer.countDown();

        assertThat(inFlight.outcome()).succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result)
                .isEqualTo(Result.DELIVERED);
        assertThat(queued.outcome()).succeedsWithin(Duration.ofSeconds(5)).extracting(DeliveryOutcome::result)
                .isEqualTo(Result.FENCED);
        assertThat(posted).hasSize(1);
        assertThat(deliveries.all()).containsOnlyKeys("ops/rel-7-1");
    }

    @Test
    void admitsNoMoreDeliveriesThanTheQueueHoldsUntilTheChannelCatchesUp() {
        CountDownLatch answer = new CountDownLatch(1);
        List<HttpPayload> posted = new CopyOnWriteArrayList<>();
        Channel channel = new Channel("ops", Platform.WEBHOOK, Renderers.of(Platform.WEBHOOK, Optional.empty()),
                payload -> {
                    posted.add(payload);
                    answer.await(10, TimeUnit.SECONDS);
                    return WebhookAnswer.of(200);
                });
        Dispatcher dispatcher = dispatcher(deliveries, 2);

        List<Dispatcher.Dispatch> dispatches = new ArrayList<>();
        dispatches.add(dispatcher.dispatch(channel, message(LOG.get(0), Platform.WEBHOOK), this::deadLetter,
                Lease.PERPETUAL));
        await().until(() -> posted.size() == 1); // the first is posting, no longer waiting
        for (ReleaseEvent event : LOG.subList(1, 5)) {
            dispatches.add(dispatcher.dispatch(channel, message(event, Platform.WEBHOOK), this::deadLetter,
                    Lease.PERPETUAL));
        }

        assertThat(dispatches).extracting(d -> d.admitted().isDone()).containsExactly(true, true, true, false, false);
        answer.countDown();
        assertThat(dispatches).allSatisfy(d -> assertThat(d.outcome()).succeedsWithin(Duration.ofSeconds(5)));
        assertThat(dispatches).allSatisfy(d -> assertThat(d.admitted()).isDone());
        assertThat(posted).hasSize(5);
    }

    private Dispatcher dispatcher(DeliveryLog log, int capacity) {
        Dispatcher dispatcher = new Dispatcher(log, new Attempts(new RetryPolicy(3, Duration.ofMillis(10),
                Duration.ofMillis(50)), waits::add), DeliveryListener.NONE,
                new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(5)), Sleeper.REAL, capacity);
        extra.add(dispatcher);
        return dispatcher;
    }

    private void deadLetter(String channel, String reason) {
        deadLetters.add(channel + ": " + reason);
    }

    private ChatMessage message(ReleaseEvent event, Platform platform) {
        CloudEvent<ReleaseEvent> envelope = Samples.envelope(event);
        return composer.compose(envelope, null, platform);
    }

    private static Channel channel(String name, Platform platform, URI url) {
        return new Channel(name, platform, Renderers.of(platform, Optional.empty()), new WebhookClient(url, TIMEOUT));
    }

    private static URI closedPortUrl() {
        try (WebhookStub closed = WebhookStub.start()) {
            return closed.url("/x?token=s3cr3t");
        }
    }

}
