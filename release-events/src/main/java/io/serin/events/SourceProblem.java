package io.serin.events;

import java.time.Instant;

/**
 * A pulling metric source (such as the analyzer's Prometheus source) was due to publish a sample
 * of one series and could not: the query failed, timed out, or answered with nothing usable. It is
 * published instead of the sample, never as a zero, so a judge does not mistake a broken query for
 * a healthy canary and the verdict can say why data is missing.
 *
 * @param analysisId the analysis the sample was for (optional)
 * @param time       event time of the missing sample: the end of the interval it would have counted
 * @param reason     what went wrong, for grouping and alerting
 * @param detail     what went wrong, in the source's own words, e.g. the query engine's error message
 * @param query      the query as sent (optional)
 */
public record SourceProblem(String releaseId, String analysisId, Variant variant, String metric, Instant time,
        Reason reason, String detail, String query) implements SampleMessage {

    /** Why a source could not produce a sample. */
    public enum Reason {
        /** The source rejected or failed the query (bad syntax, execution error, HTTP error status). */
        QUERY_ERROR,
        /** The source could not be reached (connection refused, name not resolved, I/O error). */
        UNAVAILABLE,
        /** The source did not answer within the timeout. */
        TIMEOUT,
        /** The query matched no series: no traffic yet, wrong labels, or a window shorter than two scrapes. */
        NO_DATA,
        /** The answer was not one finite number (several series, NaN, an unexpected result type). */
        INVALID_RESULT
    }
}
