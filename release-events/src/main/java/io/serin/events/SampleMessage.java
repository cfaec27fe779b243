package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** Messages on {@value Topics#METRIC_SAMPLES}. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = MetricSample.class, name = "io.serin.metrics.sample.v1"),
        @JsonSubTypes.Type(value = SourceProblem.class, name = "io.serin.metrics.source-problem.v1"),
        @JsonSubTypes.Type(value = MetricSampleBatch.class, name = "io.serin.metrics.sample-batch.v1"),
        @JsonSubTypes.Type(value = MetricHistory.class, name = "io.serin.metrics.history.v1"),
})
public sealed interface SampleMessage permits MetricSample, SourceProblem, MetricSampleBatch, MetricHistory {

    String releaseId();
}
