package io.serin.events;

import java.time.Instant;
import java.util.List;

/**
 * The verdict of one analysis, with the evidence per metric. The overall verdict is FAILED if any
 * metric failed, else INCONCLUSIVE if any was inconclusive, else SUCCESSFUL.
 */
public record AnalysisVerdict(String analysisId, String releaseId, Verdict verdict, String reason,
        Instant decidedAt, List<MetricEvidence> metrics) implements VerdictMessage {
}
