package io.serin.notifier.notify;

import io.serin.events.CanaryStep;
import io.serin.events.ReleaseEvent;
import io.serin.events.Severity;
import io.serin.events.Verdict;
import io.serin.notifier.testing.Samples;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SeveritiesTest {

    @Test
    void givesEveryReleaseEventTypeASeverity() {
        for (Class<?> type : ReleaseEvent.class.getPermittedSubclasses()) {
            assertThat(Severities.of((ReleaseEvent) Fixtures.sample(type))).as(type.getSimpleName()).isNotNull();
        }
    }

    @Test
    void givesEveryStepTypeASeverity() {
        for (Class<?> type : CanaryStep.class.getPermittedSubclasses()) {
            assertThat(Severities.of((CanaryStep) Fixtures.sample(type))).as(type.getSimpleName()).isNotNull();
        }
    }

    @Test
    void ratesRoutineStepsInfoInconclusiveAnalysesWarnAndFailuresError() {
        assertThat(Arrays.stream(Verdict.values()).map(Severities::of)).containsExactly(
                Severity.INFO, Severity.ERROR, Severity.WARN, Severity.ERROR);
        assertThat(Samples.failingCanary("r", null)).extracting(Severities::of).containsExactly(
                Severity.INFO, Severity.INFO, Severity.INFO, Severity.INFO, Severity.ERROR, Severity.ERROR,
                Severity.ERROR);
    }

    @Test
    void comparesSeveritiesWithInfoAsTheDefaultFloor() {
        assertThat(Severities.atLeast(Severity.INFO, null)).isTrue();
        assertThat(Severities.atLeast(Severity.WARN, Severity.ERROR)).isFalse();
        assertThat(Severities.atLeast(Severity.ERROR, Severity.WARN)).isTrue();
    }
}
