package io.serin.planner.api;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import io.serin.planner.config.PlannerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Puts requests and actions from the REST API on {@value Topics#RELEASE_REQUESTS}, so they are
 * ordered with everything else that happens to the release and recorded in its event log.
 */
@ApplicationScoped
public class RequestPublisher {

    private static final EventCodec<ReleaseRequestMessage> CODEC = EventCodec.of(ReleaseRequestMessage.class);
    private static final long SEND_TIMEOUT_MS = 15_000;

    private final KafkaProducer<String, byte[]> producer;
    private final URI source;

    RequestPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, PlannerConfig config) {
        this.source = URI.create(config.source() + ":api");
        this.producer = KafkaClients.configured(bootstrapServers).producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 12_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes and waits for the broker's acknowledgement, so a 202 means the request is durable. */
    public void publish(String id, ReleaseRequestMessage message) throws Exception {
        byte[] value = CODEC.encode(CloudEvent.of(source, message.releaseId(), Instant.now(), message));
        producer.send(new ProducerRecord<>(Topics.RELEASE_REQUESTS, message.releaseId(), value))
                .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
