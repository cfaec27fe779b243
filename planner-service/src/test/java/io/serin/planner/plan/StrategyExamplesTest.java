package io.serin.planner.plan;

import io.serin.events.EventCodec;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The published request of every strategy is accepted by the planner and starts its first step. */
class StrategyExamplesTest {

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("..", "docs", "examples", "strategies")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void isAcceptedAndStarts(Path example) throws IOException {
        ReleaseRequested request = (ReleaseRequested) EventCodec.of(ReleaseRequestMessage.class)
                .decode(Files.readAllBytes(example)).data();
        assertThat(new RequestValidator(new io.serin.events.policy.NamespacePolicy(java.util.Set.of("payments", "support"), java.util.Set.of()), io.serin.planner.plan.Requests.ANY_IMAGE)
                .validate(request, request.releaseId())).isEmpty();
        Decision d = new ReleasePlanner(io.serin.planner.plan.Requests.validator())
                .onRequest(request, request.releaseId(), null, Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(d.state().phase()).isEqualTo(Phase.APPLYING_STEP);
        assertThat(d.commands()).hasSize(1);
        assertThat(d.events()).extracting(e -> e.getClass().getSimpleName()).startsWith("Accepted", "StepStarted");
    }
}
