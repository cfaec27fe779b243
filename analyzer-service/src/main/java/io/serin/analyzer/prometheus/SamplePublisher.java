package io.serin.analyzer.prometheus;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Puts samples, source problems and histories on {@value Topics#METRIC_SAMPLES}, keyed by release id,
 * like any other publisher. Event ids derive from the analysis, series and window end (for a
 * history: the analysis and variant), so a consumer can tell a re-published round from a new one.
 */
final class SamplePublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SamplePublisher.class);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);

    private final KafkaProducer<String, byte[]> producer;
    private final URI source;
    private final Clock clock;
    private final SourceMetrics metrics;

    SamplePublisher(String bootstrapServers, URI source, Clock clock, SourceMetrics metrics) {
        this.source = source;
        this.clock = clock;
        this.metrics = metrics;
        this.producer = KafkaClients.configured(bootstrapServers).producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "serin-analyzer-prometheus",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    void publish(String analysisId, SampleMessage message) {
        String id = id(analysisId, message);
        byte[] value = SAMPLES.encode(CloudEvent.withId(id, source, message.releaseId(), clock.instant(), message));
        producer.send(new ProducerRecord<>(Topics.METRIC_SAMPLES, message.releaseId(), value), (metadata, e) -> {
            if (e != null) {
                metrics.publishFailed();
                LOG.errorf("[%s] cannot publish %s to %s: %s", message.releaseId(), id, Topics.METRIC_SAMPLES,
                        e.getMessage());
            }
        });
    }

    static String id(String analysisId, SampleMessage message) {
        if (message instanceof MetricSample s) {
            return analysisId + "/" + s.variant().label() + "/" + s.metric() + "@" + s.time();
        }
        if (message instanceof SourceProblem p) {
            return analysisId + "/" + p.variant().label() + "/" + p.metric() + "@" + p.time() + "/problem";
        }
        if (message instanceof MetricHistory h) {
            return analysisId + "/" + h.variant().label() + "/history";
        }
        throw new IllegalStateException("unhandled sample message " + message.getClass());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
