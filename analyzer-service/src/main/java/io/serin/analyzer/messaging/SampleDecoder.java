package io.serin.analyzer.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.MessageTypes;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Variant;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the messages that arrive by the hundred thousand, {@link MetricSample} and
 * {@link MetricSampleBatch} CloudEvents, in a single streaming pass instead of {@link EventCodec}'s
 * tree-then-bind, which costs several times as much. It accepts only the regular shape, with the
 * type before the data as the codec writes it; anything else (another type, a missing or mistyped
 * field, a number in a string) yields null, and the caller decodes with {@link EventCodec}, so that
 * the outcome, and the reason of a rejection, stay exactly the contract's.
 */
final class SampleDecoder {

    private static final String TYPE = MessageTypes.typeOf(MetricSample.class);
    private static final String BATCH_TYPE = MessageTypes.typeOf(MetricSampleBatch.class);
    private static final Variant[] VARIANTS = Variant.values();
    /**
     * The contract mapper's defaults, plus the exact fast double parser: samples are mostly numbers
     * written as {@code 50.0}, which the default parser reads through {@code Double.parseDouble}.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /** Publishers use one source each: checking the last one again would only repeat the work. */
    private String validSource;
    /** The payload's time as written: the envelope's time is usually the same text, parsed once then. */
    private String dataTime;

    /** The sample or the batch, or null if the record needs the full decoder. */
    SampleMessage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(bytes)) {
            return envelope(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private SampleMessage envelope(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        boolean specversion = false;
        boolean id = false;
        boolean knownSource = false;
        String newSource = null;
        boolean type = false;
        boolean batch = false;
        String time = null;
        SampleMessage data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            switch (name) {
                case "specversion" -> specversion = is(p, token, "1.0");
                case "id" -> id = token == JsonToken.VALUE_STRING;
                case "source" -> {
                    knownSource = is(p, token, validSource);
                    newSource = knownSource ? null : text(p, token);
                }
                case "type" -> {
                    batch = is(p, token, BATCH_TYPE);
                    type = batch || is(p, token, TYPE);
                }
                case "time" -> time = text(p, token);
                case "subject", "datacontenttype" -> p.skipChildren();
                case "data" -> {
                    if (!type || token != JsonToken.START_OBJECT) {
                        return null;
                    }
                    data = batch ? batch(p) : data(p);
                }
                default -> p.skipChildren();
            }
        }
        if (!specversion || !id || !knownSource && newSource == null || !type || data == null) {
            return null;
        }
        if (!knownSource) {
            URI.create(newSource);
            validSource = newSource;
        }
        if (time != null && !time.equals(dataTime)) {
            IsoInstant.parse(time);
        }
        return data;
    }

    /** The fields a single sample and a batch entry share, as read so far. */
    private static final class Observation {
        String releaseId;
        Variant variant;
        String metric;
        Double value;
        String timeText;
        Instant time;
        List<HistogramBucket> buckets;

        /** Reads the object's fields; {@code releaseId} only where it belongs ({@code withRelease}). */
        Observation read(JsonParser p, boolean withRelease) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "releaseId" -> {
                        if (withRelease) {
                            releaseId = text(p, token);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "variant" -> variant = variant(p, token);
                    case "metric" -> metric = text(p, token);
                    case "value" -> value = number(p, token);
                    case "time" -> {
                        timeText = text(p, token);
                        time = timeText == null ? null : IsoInstant.parse(timeText);
                    }
                    case "buckets" -> buckets = token == JsonToken.VALUE_NULL ? null : buckets(p, token);
                    default -> p.skipChildren();
                }
            }
            if (value == null) {
                throw new IllegalArgumentException("value is required");
            }
            return this;
        }
    }

    private MetricSample data(JsonParser p) throws IOException {
        dataTime = null;
        Observation o = new Observation().read(p, true);
        dataTime = o.timeText;
        return new MetricSample(o.releaseId, o.variant, o.metric, o.value, o.time, o.buckets);
    }

    private MetricSampleBatch batch(JsonParser p) throws IOException {
        dataTime = null;
        String releaseId = null;
        Instant time = null;
        List<MetricSampleBatch.Entry> samples = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            switch (name) {
                case "releaseId" -> releaseId = text(p, token);
                case "time" -> {
                    dataTime = text(p, token);
                    time = dataTime == null ? null : IsoInstant.parse(dataTime);
                }
                case "samples" -> samples = token == JsonToken.VALUE_NULL ? null : entries(p, token);
                default -> p.skipChildren();
            }
        }
        return new MetricSampleBatch(releaseId, time, samples);
    }

    private static List<MetricSampleBatch.Entry> entries(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("samples is not an array");
        }
        List<MetricSampleBatch.Entry> entries = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Observation o = new Observation().read(p, false);
            entries.add(new MetricSampleBatch.Entry(o.variant, o.metric, o.value, o.time, o.buckets));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("samples holds something other than objects");
        }
        return entries;
    }

    private static List<HistogramBucket> buckets(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("buckets is not an array");
        }
        List<HistogramBucket> buckets = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Double le = null;
            Double count = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "le" -> le = number(p, t);
                    case "count" -> count = number(p, t);
                    default -> p.skipChildren();
                }
            }
            if (le == null || count == null) {
                throw new IllegalArgumentException("bucket needs le and count");
            }
            buckets.add(new HistogramBucket(le, count));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("buckets holds something other than objects");
        }
        return buckets;
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("not a string");
        }
        return p.getText();
    }

    private static Double number(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IllegalArgumentException("not a number");
        }
        return p.getDoubleValue();
    }

    private static Variant variant(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        for (Variant v : VARIANTS) {
            if (is(p, token, v.label())) {
                return v;
            }
        }
        throw new IllegalArgumentException("not a variant");
    }

    /** Whether the current token is the string {@code expected}, compared in place. */
    private static boolean is(JsonParser p, JsonToken token, String expected) throws IOException {
        if (token != JsonToken.VALUE_STRING || expected == null || p.getTextLength() != expected.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < expected.length(); i++) {
            if (chars[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
