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
     *
     * @param target the workload under release (optional); metric sources that pull samples, such
     *               as the analyzer's Prometheus source, fill their query templates from it
     */
    record Start(String analysisId, String releaseId, Instant startAt, Duration duration, List<MetricCheck> metrics,
            WorkloadRef target) implements AnalysisCommand {

        /** An analysis whose samples are all pushed, so the target is not needed. */
        public Start(String analysisId, String releaseId, Instant startAt, Duration duration,
                List<MetricCheck> metrics) {
            this(analysisId, releaseId, startAt, duration, metrics, null);
        }
    }
}
