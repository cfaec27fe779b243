package io.serin.notifier.messaging;

import io.serin.events.Topics;
import io.serin.notifier.testing.GroupMember;
import io.serin.testsupport.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How long a restarted notifier waits before it reads again when the instance before it was killed
 * (SIGKILL: it never left the group). Measured with the consumer settings the notifier ships, from
 * the kill itself, the worst case: a real restart takes seconds of that wait away.
 */
class RestartRecoveryIT {

    private static final Duration TARGET = Duration.ofSeconds(10);

    @Test
    void aRestartedInstanceReadsAgainWithinTenSecondsOfAKill() throws Exception {
        assertThat(GroupMember.notifierConsumerSettings()).containsEntry("isolation.level", "read_committed")
                .containsKey("session.timeout.ms");
        String group = "it-restart-" + UUID.randomUUID();
        Process crashed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GroupMember.class.getName(),
                SharedKafka.bootstrapServers(), group, Topics.RELEASE_EVENTS).redirectErrorStream(true).start();
        try {
            assertThat(assigned(crashed)).succeedsWithin(Duration.ofSeconds(60));
            crashed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();

            try (KafkaConsumer<String, byte[]> restarted = GroupMember.consumer(SharedKafka.bootstrapServers(), group);
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                            new StringSerializer(), new ByteArraySerializer())) {
                restarted.subscribe(List.of(Topics.RELEASE_EVENTS));
                // wait for every partition, so the one the test writes to is surely read
                await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
                    restarted.poll(Duration.ofMillis(50));
                    return restarted.assignment().size() == SharedKafka.PARTITIONS;
                });
                long assignedAfter = System.nanoTime() - killed;
                // settle the positions (offset reset to latest) before writing, or the reset could skip the writes
                restarted.assignment().forEach(restarted::position);
                List<String> keys = IntStream.range(0, 20).mapToObj(i -> "restart-" + UUID.randomUUID()).toList();
                for (String key : keys) {
                    producer.send(new ProducerRecord<>(Topics.RELEASE_EVENTS, key, new byte[0])).get();
                }
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                    for (ConsumerRecord<String, byte[]> record : restarted.poll(Duration.ofMillis(50))) {
                        if (keys.contains(record.key())) {
                            return true;
                        }
                    }
                    return false;
                });
                Duration recovered = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("after SIGKILL: partitions back in %d ms, reading again in %d ms (settings %s)%n",
                        TimeUnit.NANOSECONDS.toMillis(assignedAfter), recovered.toMillis(),
                        GroupMember.notifierConsumerSettings());
                assertThat(recovered).isLessThan(TARGET);
            }
        } finally {
            crashed.destroyForcibly();
        }
    }

    private static CompletableFuture<Void> assigned(Process member) {
        return CompletableFuture.runAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(member.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals(GroupMember.ASSIGNED)) {
                        return;
                    }
                }
                throw new IllegalStateException("the group member exited before it was assigned partitions");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
