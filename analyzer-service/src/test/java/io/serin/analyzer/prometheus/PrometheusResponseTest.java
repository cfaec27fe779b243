package io.serin.analyzer.prometheus;

import io.serin.events.HistogramBucket;
import io.serin.events.SourceProblem.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers as Prometheus 2.42 writes them (taken from a real server). */
class PrometheusResponseTest {

    private static String vector(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", series)
                + "]}}";
    }

    private static String series(String labels, String value) {
        return "{\"metric\":{" + labels + "},\"value\":[1795322989.736,\"" + value + "\"]}";
    }

    @Test
    void aVectorOfOneSeriesIsItsValue() {
        assertThat(PrometheusResponse.parse(200, vector(series("", "412.5"))))
                .isEqualTo(new QueryResult.Value(412.5, null));
        assertThat(PrometheusResponse.parse(200, vector(series("\"variant\":\"canary\"", "0"))))
                .as("a zero the query computed is a value").isEqualTo(new QueryResult.Value(0, null));
    }

    @Test
    void aScalarIsItsValue() {
        assertThat(PrometheusResponse.parse(200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1795322989.755,\"1\"]}}"))
                .isEqualTo(new QueryResult.Value(1, null));
    }

    @Test
    void anEmptyVectorIsNoDataNotZero() {
        assertThat(PrometheusResponse.parse(200, vector()))
                .isEqualTo(new QueryResult.Failed(Reason.NO_DATA, "no series matched (empty vector)"));
    }

    @Test
    void anErrorAnswerIsAQueryErrorInPrometheusOwnWords() {
        String body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": "
                + "1:56: parse error: unclosed left parenthesis\"}";

        assertThat(PrometheusResponse.parse(400, body)).isEqualTo(new QueryResult.Failed(Reason.QUERY_ERROR,
                "Prometheus answered HTTP 400 bad_data: invalid parameter \"query\": 1:56: parse error: unclosed left "
                        + "parenthesis"));
    }

    @Test
    void anHttpErrorWithoutJsonIsAQueryErrorWithTheBody() {
        assertThat(PrometheusResponse.parse(503, "Service Unavailable\n")).isEqualTo(new QueryResult.Failed(
                Reason.QUERY_ERROR, "Prometheus answered HTTP 503: Service Unavailable"));
        assertThat(PrometheusResponse.parse(502, "")).isEqualTo(new QueryResult.Failed(Reason.QUERY_ERROR,
                "Prometheus answered HTTP 502: (empty body)"));
    }

    @Test
    void nanAndInfinityAreInvalidNotNumbers() {
        assertThat(PrometheusResponse.parse(200, vector(series("", "NaN")))).satisfies(r -> {
            assertThat(r).isInstanceOf(QueryResult.Failed.class);
            assertThat(((QueryResult.Failed) r).reason()).isEqualTo(Reason.INVALID_RESULT);
            assertThat(((QueryResult.Failed) r).detail()).contains("NaN").contains("division by zero");
        });
        assertThat(PrometheusResponse.parse(200, vector(series("", "+Inf"))))
                .isInstanceOf(QueryResult.Failed.class);
    }

    @Test
    void severalSeriesAreInvalidAndNamedSoTheTemplateCanBeFixed() {
        QueryResult r = PrometheusResponse.parse(200, vector(series("\"pod\":\"a\"", "1"),
                series("\"pod\":\"b\"", "2")));

        assertThat(r).isInstanceOf(QueryResult.Failed.class);
        assertThat(((QueryResult.Failed) r).reason()).isEqualTo(Reason.INVALID_RESULT);
        assertThat(((QueryResult.Failed) r).detail()).startsWith("2 series [{\"pod\":\"a\"}, {\"pod\":\"b\"}]")
                .contains("sum(...)");
    }

    @Test
    void aVectorByLeIsAHistogramWithItsTotalFromTheInfBucket() {
        QueryResult r = PrometheusResponse.parse(200, vector(series("\"le\":\"+Inf\"", "412"),
                series("\"le\":\"0.32\"", "408"), series("\"le\":\"0.1\"", "200")));

        assertThat(r).isEqualTo(new QueryResult.Value(412, List.of(new HistogramBucket(0.1, 200),
                new HistogramBucket(0.32, 408))));
        assertThat(PrometheusResponse.parse(200, vector(series("\"le\":\"0.1\"", "200"))))
                .isEqualTo(new QueryResult.Failed(Reason.INVALID_RESULT,
                        "histogram without a le=\"+Inf\" bucket, which holds its total"));
    }

    @Test
    void otherResultTypesAndGarbageAreInvalid() {
        assertThat(PrometheusResponse.parse(200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
                .isEqualTo(new QueryResult.Failed(Reason.INVALID_RESULT,
                        "result type 'matrix'; the query must give an instant vector or a scalar"));
        assertThat(PrometheusResponse.parse(200, "<html>proxy login</html>")).isEqualTo(new QueryResult.Failed(
                Reason.INVALID_RESULT, "answer is not JSON: <html>proxy login</html>"));
    }

    private static final Instant FIRST = Instant.parse("2026-11-22T10:00:05.250Z");
    private static final Duration STEP = Duration.ofSeconds(5);

    /** A range answer as Prometheus 2.42 writes it: the points of each series, steps without one left out. */
    private static String matrix(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + String.join(",", series) + "]}}";
    }

    private static String points(String labels, String... values) {
        StringBuilder out = new StringBuilder("{\"metric\":{" + labels + "},\"values\":[");
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (out.charAt(out.length() - 1) == ']') {
                out.append(',');
            }
            Instant t = FIRST.plus(STEP.multipliedBy(i));
            out.append('[').append(t.getEpochSecond()).append('.').append(String.format("%03d", t.getNano() / 1_000_000))
                    .append(",\"").append(values[i]).append("\"]");
        }
        return out.append("]}").toString();
    }

    @Test
    void aRangeIsOneValuePerStepWithNullWhereAStepHasNoPoint() {
        RangeResult r = PrometheusResponse.parseRange(200, matrix(points("", "100", null, "98.5", "0", null)),
                FIRST, STEP, 5);

        assertThat(r).isEqualTo(new RangeResult.Steps(Arrays.asList(100.0, null, 98.5, 0.0, null)));
    }

    @Test
    void aRangeStepThatIsNoIncreaseIsNullAndARangeWithoutAnyValueIsNoData() {
        assertThat(PrometheusResponse.parseRange(200, matrix(points("", "NaN", "-3", "+Inf", "7")), FIRST, STEP, 4))
                .isEqualTo(new RangeResult.Steps(Arrays.asList(null, null, null, 7.0)));
        assertThat(PrometheusResponse.parseRange(200, matrix(points("", "NaN", "NaN")), FIRST, STEP, 2))
                .isEqualTo(new RangeResult.Failed(Reason.NO_DATA, "no step has a finite, non-negative value"));
        assertThat(PrometheusResponse.parseRange(200, matrix(), FIRST, STEP, 2)).isEqualTo(
                new RangeResult.Failed(Reason.NO_DATA, "no series matched in any step (empty matrix)"));
    }

    @Test
    void aRangeIgnoresPointsOutsideItsSteps() {
        String early = "{\"metric\":{},\"values\":[[" + (FIRST.getEpochSecond() - 5) + ".25,\"1\"],["
                + FIRST.getEpochSecond() + ".25,\"2\"],[" + (FIRST.getEpochSecond() + 10) + ".25,\"3\"]]}";

        assertThat(PrometheusResponse.parseRange(200, matrix(early), FIRST, STEP, 2))
                .isEqualTo(new RangeResult.Steps(Arrays.asList(2.0, null)));
    }

    @Test
    void aRangeOfSeveralSeriesAnErrorOrAnotherTypeIsNoHistory() {
        RangeResult several = PrometheusResponse.parseRange(200, matrix(points("\"le\":\"0.1\"", "1"),
                points("\"le\":\"+Inf\"", "2")), FIRST, STEP, 1);
        assertThat(several).isInstanceOf(RangeResult.Failed.class);
        assertThat(((RangeResult.Failed) several).reason()).isEqualTo(Reason.INVALID_RESULT);
        assertThat(((RangeResult.Failed) several).detail()).startsWith("2 series [{\"le\":\"0.1\"}").contains("sum(...)");

        assertThat(PrometheusResponse.parseRange(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"exceeded maximum resolution of 11,000 points per timeseries\"}", FIRST, STEP, 1))
                .isEqualTo(new RangeResult.Failed(Reason.QUERY_ERROR, "Prometheus answered HTTP 400 bad_data: "
                        + "exceeded maximum resolution of 11,000 points per timeseries"));
        assertThat(PrometheusResponse.parseRange(200, vector(series("", "1")), FIRST, STEP, 1)).isEqualTo(
                new RangeResult.Failed(Reason.INVALID_RESULT,
                        "result type 'vector' of a range query; the query must give an instant vector"));
    }
}
