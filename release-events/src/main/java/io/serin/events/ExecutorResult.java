package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.time.Instant;

/** Results on {@value Topics#EXECUTOR_RESULTS}: what the cluster really did for a command. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = ExecutorResult.Succeeded.class, name = "io.serin.executor.result.succeeded.v1"),
        @JsonSubTypes.Type(value = ExecutorResult.Failed.class, name = "io.serin.executor.result.failed.v1"),
})
public sealed interface ExecutorResult permits ExecutorResult.Succeeded, ExecutorResult.Failed {

    String commandId();

    String releaseId();

    Instant completedAt();

    /** The command is applied and the cluster reports it as real. */
    record Succeeded(String commandId, String releaseId, Instant completedAt, String summary,
            TrafficState traffic) implements ExecutorResult {
    }

    /** The command could not be applied; {@code message} carries the API's own reason. */
    record Failed(String commandId, String releaseId, Instant completedAt, FailureReason reason, String message)
            implements ExecutorResult {
    }
}
