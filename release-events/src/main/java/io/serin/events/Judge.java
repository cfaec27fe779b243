package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a measured value becomes a verdict. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Judge.Threshold.class, name = "threshold"),
})
public sealed interface Judge permits Judge.Threshold {

    /** The value over the whole analysis window must lie within [min, max]; either bound may be absent. */
    record Threshold(Double min, Double max) implements Judge {
    }
}
