package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Commands on {@value Topics#ANALYSIS_COMMANDS}. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = AnalysisCommand.Start.class, name = "io.serin.analysis.start.v1"),
})
public sealed interface AnalysisCommand permits AnalysisCommand.Start {

    String analysisId();

    String releaseId();

    /**
     * Judge {@code metrics} on samples with event time in [{@code startAt}, {@code startAt + duration}]
     * and publish one verdict for {@code analysisId}.
     */
    record Start(String analysisId, String releaseId, Instant startAt, Duration duration, List<MetricCheck> metrics)
            implements AnalysisCommand {
    }
}
