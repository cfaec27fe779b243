package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How metric samples become the value a judge looks at. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Measure.Ratio.class, name = "ratio"),
})
public sealed interface Measure permits Measure.Ratio {

    /**
     * Sum of the {@code numerator} counter over sum of the {@code denominator} counter, e.g.
     * errors / requests.
     */
    record Ratio(String numerator, String denominator) implements Measure {
    }
}
