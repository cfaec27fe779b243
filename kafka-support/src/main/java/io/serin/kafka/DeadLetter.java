package io.serin.kafka;

import io.serin.events.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The one shape of a dead letter, whichever service writes it: the original key and value, unchanged,
 * on {@code <topic>.dlq}, with a header saying why ({@value Topics#DLQ_REASON_HEADER}) and one saying
 * where the record was ({@value Topics#DLQ_ORIGIN_HEADER}, topic/partition/offset).
 */
public final class DeadLetter {

    /** Reasons are for people; a reason longer than this is cut (an exception message can be huge). */
    public static final int MAX_REASON = 1000;

    private DeadLetter() {
    }

    public static String origin(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** The headers of a dead letter: why, and where from. */
    public static Headers headers(String reason, String origin) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, cut(reason).getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** An exception as a reason: its class and its (cut) message. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return cut(e.getClass().getSimpleName() + (message == null ? "" : ": " + message), 300);
    }

    static String cut(String reason) {
        return cut(reason == null ? "unknown" : reason, MAX_REASON);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
