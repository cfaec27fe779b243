package io.serin.events;

import java.util.List;

/**
 * Kafka topic names of the Serin contract. Every record on these topics is keyed by release id, so
 * all messages of one release live in one partition, in order. All topics of one deployment must
 * have the same partition count: the planner and the analyzer join several of them by key.
 */
public final class Topics {

    /** Release requests and operator actions; written by CI, chat, CLI and the REST API. */
    public static final String RELEASE_REQUESTS = "serin.release.requests";
    /** Step commands from the planner to the executor. */
    public static final String EXECUTOR_COMMANDS = "serin.executor.commands";
    /** What the executor observed after applying a command. */
    public static final String EXECUTOR_RESULTS = "serin.executor.results";
    /** Analysis commands from the planner to the analyzer. */
    public static final String ANALYSIS_COMMANDS = "serin.analysis.commands";
    /** Metric samples of canary, baseline and stable; written by apps, mesh adapters, Prometheus source. */
    public static final String METRIC_SAMPLES = "serin.metrics.samples";
    /** Verdicts from the analyzer to the planner. */
    public static final String ANALYSIS_VERDICTS = "serin.analysis.verdicts";
    /** The authoritative, ordered release event log; single writer: the planner. */
    public static final String RELEASE_EVENTS = "serin.release.events";

    /** Topics of the contract (dead-letter topics excluded). */
    public static final List<String> ALL = List.of(RELEASE_REQUESTS, EXECUTOR_COMMANDS, EXECUTOR_RESULTS,
            ANALYSIS_COMMANDS, METRIC_SAMPLES, ANALYSIS_VERDICTS, RELEASE_EVENTS);

    /** Record header naming why a record was dead-lettered. */
    public static final String DLQ_REASON_HEADER = "serin.dlq.reason";
    /** Record header naming the topic, partition and offset a dead-lettered record came from. */
    public static final String DLQ_ORIGIN_HEADER = "serin.dlq.origin";

    private Topics() {
    }

    /** The dead-letter topic for records read from {@code topic} that could not be processed. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** Every topic a Serin deployment needs, dead-letter topics included. */
    public static List<String> allWithDeadLetters() {
        return ALL.stream().flatMap(t -> java.util.stream.Stream.of(t, deadLetter(t))).toList();
    }
}
