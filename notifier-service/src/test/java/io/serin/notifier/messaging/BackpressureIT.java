package io.serin.notifier.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.events.Topics;
import io.serin.notifier.config.NotifierProducer;
import io.serin.notifier.notify.Dispatcher;
import io.serin.notifier.testing.Samples;
import io.serin.notifier.testing.WebhookStub;
import io.serin.testsupport.KafkaTestResource;
import io.serin.testsupport.SharedKafka;
import io.serin.testsupport.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A channel that stops answering fills its queue, and then the notifier stops taking events. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BackpressureIT.StalledWebhook.class, restrictToAnnotatedClass = true)
class BackpressureIT {

    private static final EventCodec<ReleaseEvent> CODEC = EventCodec.of(ReleaseEvent.class);
    private static final int CAPACITY = 2;

    // the bean, not the gauge: Quarkus tests share one meter registry per JVM, and a gauge registered by an
    // earlier application of the same JVM keeps reading that application's lanes
    @Inject
    Dispatcher dispatcher;

    /** The webhook shortcut pointing at a receiver that holds every request; its own group, at the log's end. */
    public static class StalledWebhook implements QuarkusTestResourceLifecycleManager {

        static volatile WebhookStub stub;

        @Override
        public Map<String, String> start() {
            stub = WebhookStub.start().hold();
            String group = "serin-notifier-backpressure-" + UUID.randomUUID();
            startAtTheEnd(group);
            return Map.of(
                    "serin.notifier.webhook.url", stub.url().toString(),
                    "serin.notifier.webhook.timeout", "60s",
                    "serin.notifier.queue-capacity", String.valueOf(CAPACITY),
                    "mp.messaging.incoming.release-events.group.id", group);
        }

        /** Commits the log's end offsets for the group, so the app reads only what the test writes. */
        private static void startAtTheEnd(String group) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.bootstrapServers()))) {
                Map<TopicPartition, OffsetSpec> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                        .mapToObj(p -> new TopicPartition(Topics.RELEASE_EVENTS, p))
                        .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
                Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(partitions).all()
                        .get(30, TimeUnit.SECONDS).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                                e -> new OffsetAndMetadata(e.getValue().offset())));
                admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot set the offsets of group " + group, e);
            }
        }

        @Override
        public void stop() {
            stub.close();
        }
    }

    @Test
    void stopsTakingEventsWhileTheChannelsQueueIsFullAndCatchesUpAfter() {
        String releaseId = "rel-" + UUID.randomUUID();
        int events = 10;
        LongStream.rangeClosed(1, events).forEach(sequence -> TopicRecords.send(Topics.RELEASE_EVENTS, releaseId,
                CODEC.encode(CloudEvent.withId(releaseId + "/" + sequence, Samples.SOURCE, releaseId, Samples.T0,
                        Samples.failedAnalysis(releaseId, sequence)))));

        await().atMost(Duration.ofSeconds(60)).until(() -> StalledWebhook.stub.requests().size() == 1);
        // one posting, CAPACITY waiting, one more handed over but not admitted: the other six stay in Kafka
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(waiting()).isEqualTo(CAPACITY + 1));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(waiting()).isEqualTo(CAPACITY + 1);
            assertThat(StalledWebhook.stub.requests()).hasSize(1);
        });

        StalledWebhook.stub.release();

        await().atMost(Duration.ofSeconds(60)).until(() -> StalledWebhook.stub.requests().size() == events);
        assertThat(StalledWebhook.stub.requests()).extracting(r -> r.body().replaceAll(".*\"sequence\":(\\d+).*", "$1"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);
        assertThat(given().get("/q/metrics").asString()).contains("serin_notifier_queue_waiting{channel=\"webhook\"");
    }

    private int waiting() {
        return dispatcher.waiting(NotifierProducer.SHORTCUT);
    }
}
