package io.serin.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** Writing and reading the {@link SharedKafka} broker's topics from tests, by release key. */
public final class TopicRecords {

    /** How long {@link #awaitRecords} waits before failing. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;

    private TopicRecords() {
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
            KafkaProducer<String, byte[]> toClose = producer;
            Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "topic-records-producer"));
        }
        return producer;
    }

    /** Publishes one record and waits for the broker's acknowledgement; returns its offset. */
    public static long send(String topic, String key, byte[] value) {
        try {
            return producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /**
     * Waits until {@code topic} holds at least {@code count} committed records keyed {@code key}
     * and returns them in log order. Read committed: the services write in transactions.
     */
    public static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, String key, int count) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, SharedKafka.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            Instant deadline = Instant.now().plus(PATIENCE);
            while (seen.size() < count) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("expected " + count + " records keyed " + key + " on " + topic
                            + " within " + PATIENCE + ", saw " + seen.size());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        seen.add(r);
                    }
                });
            }
            return seen;
        }
    }

    /** The value of a record header as text; fails when the header is missing. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new AssertionError("record " + record.topic() + "/" + record.partition() + "/" + record.offset()
                    + " has no header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
