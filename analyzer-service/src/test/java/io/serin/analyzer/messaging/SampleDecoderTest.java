package io.serin.analyzer.messaging;

import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.InvalidMessageException;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Variant;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast path reads what the contract's codec reads, and leaves everything else to it. */
class SampleDecoderTest {

    private static final EventCodec<SampleMessage> CODEC = EventCodec.of(SampleMessage.class);
    private static final Instant AT = Instant.parse("2026-11-22T10:00:01Z");
    private static final String ENVELOPE = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"urn:app\","
            + "\"type\":\"io.serin.metrics.sample.v1\",\"subject\":\"r1\",\"time\":\"2026-11-22T10:00:01Z\","
            + "\"datacontenttype\":\"application/json\",\"data\":%s}";

    private final SampleDecoder decoder = new SampleDecoder();

    private static byte[] event(String data) {
        return String.format(ENVELOPE, data).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsWhatPublishersSendExactlyAsTheCodecDoes() {
        for (MetricSample sample : List.of(
                new MetricSample("r1", Variant.CANARY, "errors", 3, AT),
                new MetricSample("r1", Variant.BASELINE, "latency", 0.1234567891234, AT.plusNanos(1)),
                new MetricSample("r1", Variant.STABLE, "latency", 100, AT, List.of(new HistogramBucket(0.1, 50),
                        new HistogramBucket(Double.MAX_VALUE, 100))),
                new MetricSample(null, null, null, -0.0, null))) {
            byte[] bytes = CODEC.encode(CloudEvent.of(URI.create("urn:app"), "r1", AT, sample));
            assertThat(decoder.decode(bytes)).isEqualTo(sample).isEqualTo(CODEC.decode(bytes).data());
        }
    }

    @Test
    void readsUnknownFieldsDuplicatesAndOtherFieldOrdersAsTheCodecDoes() {
        for (String data : List.of(
                "{\"value\":2,\"metric\":\"errors\",\"extra\":{\"a\":[1,{\"b\":null}]},\"variant\":\"canary\","
                        + "\"releaseId\":\"r1\",\"time\":\"2026-11-22T10:00:01.5Z\"}",
                "{\"releaseId\":\"r1\",\"variant\":\"canary\",\"metric\":\"errors\",\"value\":1,\"value\":2e0}",
                "{\"releaseId\":\"r1\",\"metric\":\"latency\",\"value\":1,\"buckets\":[{\"le\":1,\"x\":true,"
                        + "\"count\":1}],\"buckets\":null}",
                "{\"releaseId\":\"r1\",\"metric\":\"latency\",\"value\":1,\"buckets\":[]}")) {
            byte[] bytes = event(data);
            assertThat(decoder.decode(bytes)).as(data).isNotNull().isEqualTo(CODEC.decode(bytes).data());
        }
    }

    @Test
    void leavesEverythingIrregularToTheCodec() {
        for (String data : List.of(
                "{\"releaseId\":\"r1\",\"metric\":\"errors\"}",
                "{\"releaseId\":\"r1\",\"metric\":\"errors\",\"value\":null}",
                "{\"releaseId\":\"r1\",\"metric\":\"errors\",\"value\":\"3\"}",
                "{\"releaseId\":\"r1\",\"variant\":\"CANARY\",\"value\":3}",
                "{\"releaseId\":\"r1\",\"variant\":\"green\",\"value\":3}",
                "{\"releaseId\":1,\"value\":3}",
                "{\"value\":3,\"time\":\"yesterday\"}",
                "{\"value\":3,\"time\":1763805601}",
                "{\"value\":3,\"buckets\":[{\"le\":1}]}",
                "{\"value\":3,\"buckets\":{\"le\":1,\"count\":1}}",
                "null",
                "[1]")) {
            byte[] bytes = event(data);
            assertThat(decoder.decode(bytes)).as(data).isNull();
        }
        for (String envelope : List.of("", "garbage", "[]", "{\"specversion\":\"0.3\"}",
                ENVELOPE.replace("\"id\":\"e1\",", ""), ENVELOPE.replace("urn:app", "not a uri"),
                ENVELOPE.replace("2026-11-22T10:00:01Z", "soon"), ENVELOPE.replace("\"e1\"", "1"),
                ENVELOPE.replace("metrics.sample.v1", "metrics.source-problem.v1"))) {
            byte[] bytes = String.format(envelope, "{\"value\":1}").getBytes(StandardCharsets.UTF_8);
            assertThat(decoder.decode(bytes)).as(envelope).isNull();
        }
    }

    @Test
    void leavesSourceProblemsAndRejectionsToTheCodec() {
        byte[] problem = CODEC.encode(CloudEvent.of(URI.create("urn:app"), "r1", AT, new SourceProblem("r1", "a1",
                Variant.CANARY, "errors", AT, SourceProblem.Reason.TIMEOUT, "slow", "q")));
        assertThat(decoder.decode(problem)).isNull();
        assertThatThrownBy(() -> CODEC.decode(event("{\"value\":null}"))).isInstanceOf(InvalidMessageException.class);
    }

    private static byte[] batchEvent(String data) {
        return String.format(ENVELOPE.replace("metrics.sample.v1", "metrics.sample-batch.v1"), data)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBatchesExactlyAsTheCodecDoes() {
        for (MetricSampleBatch batch : List.of(
                new MetricSampleBatch("r1", AT, List.of(new MetricSampleBatch.Entry(Variant.CANARY, "requests", 412),
                        new MetricSampleBatch.Entry(Variant.CANARY, "errors", 0),
                        new MetricSampleBatch.Entry(Variant.STABLE, "latency", 100, AT.minusMillis(500),
                                List.of(new HistogramBucket(0.1, 50), new HistogramBucket(1, 100))))),
                new MetricSampleBatch("r1", AT, List.of()),
                new MetricSampleBatch(null, null, null))) {
            byte[] bytes = CODEC.encode(CloudEvent.of(URI.create("urn:app"), "r1", AT, batch));
            assertThat(decoder.decode(bytes)).isEqualTo(batch).isEqualTo(CODEC.decode(bytes).data());
        }
        for (String data : List.of(
                "{\"samples\":[{\"value\":1,\"extra\":[1],\"metric\":\"errors\",\"variant\":\"canary\"}],"
                        + "\"releaseId\":\"r1\",\"time\":\"2026-11-22T10:00:01.5Z\",\"more\":{}}",
                "{\"releaseId\":\"r1\",\"samples\":[{\"metric\":\"errors\",\"value\":2,\"time\":null}]}")) {
            byte[] bytes = batchEvent(data);
            assertThat(decoder.decode(bytes)).as(data).isNotNull().isEqualTo(CODEC.decode(bytes).data());
        }
    }

    @Test
    void leavesIrregularBatchesToTheCodec() {
        for (String data : List.of(
                "{\"releaseId\":\"r1\",\"samples\":[{\"metric\":\"errors\"}]}",
                "{\"releaseId\":\"r1\",\"samples\":[{\"metric\":\"errors\",\"value\":\"1\"}]}",
                "{\"releaseId\":\"r1\",\"samples\":[{\"variant\":\"green\",\"value\":1}]}",
                "{\"releaseId\":\"r1\",\"samples\":[{\"value\":1,\"time\":\"soon\"}]}",
                "{\"releaseId\":\"r1\",\"samples\":[1]}",
                "{\"releaseId\":\"r1\",\"samples\":{\"value\":1}}",
                "{\"releaseId\":\"r1\",\"time\":7}")) {
            byte[] bytes = batchEvent(data);
            assertThat(decoder.decode(bytes)).as(data).isNull();
        }
        String dataFirst = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"urn:app\",\"data\":{\"releaseId\":\"r1\"},"
                + "\"type\":\"io.serin.metrics.sample-batch.v1\"}";
        assertThat(decoder.decode(dataFirst.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CODEC.decode(dataFirst.getBytes(StandardCharsets.UTF_8)).data())
                .isEqualTo(new MetricSampleBatch("r1", null, null));
    }
}
