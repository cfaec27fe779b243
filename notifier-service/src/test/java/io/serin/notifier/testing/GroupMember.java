package io.serin.notifier.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A consumer of the release event log with the notifier's own group settings (read from its
 * application.properties), run in a child JVM so that a test can kill it with SIGKILL, as a crash
 * would: no leave-group, no commit, the broker finds out only when its session expires.
 * Prints {@value #ASSIGNED} once it owns partitions.
 */
public final class GroupMember {

    public static final String ASSIGNED = "assigned";
    private static final String PREFIX = "mp.messaging.incoming.release-events.";

    private GroupMember() {
    }

    /** args: bootstrap servers, group id, topic. */
    public static void main(String[] args) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(args[0], args[1])) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        System.out.println(ASSIGNED);
                        System.out.flush();
                    }
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(100));
            }
        }
    }

    /** A consumer configured as the notifier's release-events channel is (group, session, isolation). */
    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String group) {
        Map<String, Object> config = new HashMap<>(notifierConsumerSettings());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The Kafka settings of the notifier's release-events channel that decide how fast a group recovers. */
    public static Map<String, String> notifierConsumerSettings() {
        Properties properties = new Properties();
        try (InputStream in = GroupMember.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the notifier's application.properties", e);
        }
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
            String value = properties.getProperty(PREFIX + key);
            if (value != null) {
                settings.put(key, value.trim());
            }
        }
        return settings;
    }
}
