package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How metric samples become the value a judge looks at. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Measure.Ratio.class, name = "ratio"),
        @JsonSubTypes.Type(value = Measure.Mean.class, name = "mean"),
        @JsonSubTypes.Type(value = Measure.Latency.class, name = "latency"),
})
public sealed interface Measure permits Measure.Ratio, Measure.Mean, Measure.Latency {

    /**
     * Sum of the {@code numerator} counter over sum of the {@code denominator} counter, e.g.
     * errors / requests.
     */
    record Ratio(String numerator, String denominator) implements Measure {
    }

    /** Mean of the samples' values of a gauge, e.g. cpu. */
    record Mean(String metric) implements Measure {
    }

    /**
     * The {@code quantile} of latency observations: samples of {@code metric} that are single
     * observations (value = seconds) or histograms ({@code buckets}). A sequential judge tests the
     * share of observations above the compared variant's quantile instead.
     *
     * @param quantile e.g. 0.99, default 0.99
     */
    record Latency(String metric, Double quantile) implements Measure {
    }
}
