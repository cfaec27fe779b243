package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** Messages on {@value Topics#ANALYSIS_VERDICTS}. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = AnalysisVerdict.class, name = "io.serin.analysis.verdict.v1"),
})
public sealed interface VerdictMessage permits AnalysisVerdict {

    String releaseId();
}
