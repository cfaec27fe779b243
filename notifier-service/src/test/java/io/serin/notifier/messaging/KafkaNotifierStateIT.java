package io.serin.notifier.messaging;

import io.serin.notifier.chat.Renderers;
import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.config.NotifierConfig;
import io.serin.notifier.notify.Attempts;
import io.serin.notifier.notify.Channel;
import io.serin.notifier.notify.DeliveryListener;
import io.serin.notifier.notify.DeliveryLog;
import io.serin.notifier.notify.DeliveryOutcome;
import io.serin.notifier.notify.Dispatcher;
import io.serin.notifier.notify.MessageComposer;
import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.ReleaseContext;
import io.serin.notifier.notify.RetryPolicy;
import io.serin.notifier.notify.Sleeper;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.testing.Samples;
import io.serin.notifier.testing.WebhookStub;
import io.serin.testsupport.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The notifier's memory against a real broker: it must survive the process that wrote it. */
class KafkaNotifierStateIT {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final NotifierConfig.State settings = settings("it.deliveries." + suffix, "it.releases." + suffix);
    private final WebhookStub slack = WebhookStub.start();

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void createsItsOwnCompactedTopicsWhenMissing() throws Exception {
        try (KafkaNotifierState ignored = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedKafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, settings.deliveriesTopic());
            String policy = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertThat(policy).contains("compact");
        }
    }

    @Test
    void remembersDeliveriesAndReleasesAcrossARestart() throws Exception {
        ReleaseContext context = ReleaseContext.after(null, Samples.failingCanary("rel-s", null).get(0));
        try (KafkaNotifierState first = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            first.record("payments-slack", "evt-1", DeliveryLog.Outcome.DELIVERED);
            first.record("oncall-teams", "evt-1", DeliveryLog.Outcome.DEAD_LETTERED);
            first.put(context).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        try (KafkaNotifierState second = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            assertThat(second.outcome("payments-slack", "evt-1")).contains(DeliveryLog.Outcome.DELIVERED);
            assertThat(second.outcome("oncall-teams", "evt-1")).contains(DeliveryLog.Outcome.DEAD_LETTERED);
            assertThat(second.outcome("payments-slack", "evt-2")).isEmpty();
            assertThat(second.get("rel-s")).contains(context);
        }
    }

    @Test
    void seesWhatAnotherInstanceDeliveredOnceCaughtUp() throws Exception {
        try (KafkaNotifierState a = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings);
                KafkaNotifierState b = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            a.record("payments-slack", "evt-9", DeliveryLog.Outcome.DELIVERED);

            b.awaitCaughtUp();

            assertThat(b.outcome("payments-slack", "evt-9")).contains(DeliveryLog.Outcome.DELIVERED);
        }
    }

    @Test
    void forgetsDeliveriesAndReleasesOnceTheirRetentionHasPassed() throws Exception {
        ReleaseContext context = ReleaseContext.after(null, Samples.failingCanary("rel-old", null).get(0));
        try (KafkaNotifierState state = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            state.record("payments-slack", "evt-old", DeliveryLog.Outcome.DELIVERED);
            state.put(context).toCompletableFuture().get(30, TimeUnit.SECONDS);

            state.evictOlderThan(Instant.now().minusSeconds(60));
            assertThat(state.outcome("payments-slack", "evt-old")).isPresent();
            assertThat(state.get("rel-old")).isPresent();

            state.evictOlderThan(Instant.now().plusSeconds(1));
            assertThat(state.outcome("payments-slack", "evt-old")).isEmpty();
            assertThat(state.get("rel-old")).isEmpty();
        }
    }

    @Test
    void keepsAWriteAheadRecordAcrossARestart() throws Exception {
        try (KafkaNotifierState first = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            first.record("payments-slack", "evt-3", DeliveryLog.Outcome.ATTEMPTING);
        }
        try (KafkaNotifierState second = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings)) {
            assertThat(second.outcome("payments-slack", "evt-3")).contains(DeliveryLog.Outcome.ATTEMPTING);
        }
    }

    @Test
    void doesNotPostAgainAfterARestartWhenTheSameEventIsRedelivered() throws Exception {
        ReleaseEvent event = Samples.failedAnalysis("rel-r", 5);
        Channel channel = new Channel("payments-slack", Platform.SLACK, Renderers.of(Platform.SLACK, Optional.empty()),
                new WebhookClient(slack.url(), Duration.ofSeconds(2)));
        MessageComposer composer = new MessageComposer(Optional.empty());

        DeliveryOutcome before = deliverOnce(channel, composer, event);
        DeliveryOutcome after = deliverOnce(channel, composer, event);

        assertThat(before.result()).isEqualTo(DeliveryOutcome.Result.DELIVERED);
        assertThat(after.result()).isEqualTo(DeliveryOutcome.Result.DUPLICATE);
        assertThat(slack.requests()).hasSize(1);
    }

    /** One whole notifier life: start from Kafka, deliver, stop. */
    private DeliveryOutcome deliverOnce(Channel channel, MessageComposer composer, ReleaseEvent event)
            throws Exception {
        try (KafkaNotifierState state = KafkaNotifierState.start(SharedKafka.bootstrapServers(), settings);
                Dispatcher dispatcher = new Dispatcher(state, new Attempts(new RetryPolicy(2, Duration.ofMillis(10),
                        Duration.ofMillis(10)), Sleeper.REAL), DeliveryListener.NONE)) {
            return dispatcher.submit(channel, composer.compose(Samples.envelope(event), null, Platform.SLACK),
                    (c, reason) -> { }).get(30, TimeUnit.SECONDS);
        }
    }

    static NotifierConfig.State settings(String deliveries, String releases) {
        return new NotifierConfig.State() {
            @Override
            public String deliveriesTopic() {
                return deliveries;
            }

            @Override
            public String releasesTopic() {
                return releases;
            }

            @Override
            public int partitions() {
                return SharedKafka.PARTITIONS;
            }

            @Override
            public short replicationFactor() {
                return 1;
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(1);
            }

            @Override
            public Duration catchUpTimeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration writeTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration retryBackoff() {
                return Duration.ofMillis(20);
            }

            @Override
            public Duration maxRetryBackoff() {
                return Duration.ofMillis(200);
            }
        };
    }
}
