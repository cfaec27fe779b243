package io.serin.analyzer.prometheus;

import io.serin.events.AnalysisCommand;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final WorkloadRef TARGET = new WorkloadRef("Deployment", "payments", "payment-gateway");
    private static final List<Set<SeriesRef>> GROUPS = List.of(Set.of(new SeriesRef(Variant.CANARY, "errors")));
    private static final Duration DELAY = Duration.ofSeconds(1);

    private final Schedule schedule = new Schedule(Duration.ofSeconds(10), DELAY);

    private static AnalysisCommand.Start start(String analysisId, Duration duration) {
        MetricCheck check = new MetricCheck("errors", Variant.CANARY, new Measure.Mean("errors"),
                new Judge.Threshold(null, 1.0), null);
        return new AnalysisCommand.Start(analysisId, "rel-1", T0, duration, List.of(check), TARGET);
    }

    /** Every round until the schedule is empty, polling each second of the wall clock. */
    private List<Round> drain() {
        List<Round> rounds = new ArrayList<>();
        for (Instant now = T0; schedule.size() > 0 && now.isBefore(T0.plus(Duration.ofHours(1)));
                now = now.plusSeconds(1)) {
            rounds.addAll(schedule.due(now));
        }
        return rounds;
    }

    @Test
    void queriesConsecutiveWindowsEndingAtEachIntervalTheLastAbsorbingTheRemainder() {
        schedule.track(start("a1", Duration.ofSeconds(35)), 0, GROUPS, false, T0);

        List<Round> rounds = drain();

        assertThat(rounds).extracting(Round::time).containsExactly(T0.plusSeconds(10), T0.plusSeconds(20),
                T0.plusSeconds(35));
        assertThat(rounds).extracting(Round::window).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(15));
        assertThat(rounds.get(0)).satisfies(r -> {
            assertThat(r.releaseId()).isEqualTo("rel-1");
            assertThat(r.analysisId()).isEqualTo("a1");
            assertThat(r.target()).isEqualTo(TARGET);
            assertThat(r.groups()).isEqualTo(GROUPS);
        });
        assertThat(schedule.size()).isZero();
    }

    @Test
    void anAnalysisShorterThanTheIntervalIsOneWindow() {
        schedule.track(start("a1", Duration.ofSeconds(4)), 0, GROUPS, false, T0);

        assertThat(drain()).extracting(Round::window).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void aRoundIsDueOnlyOnceTheDelayAfterItsWindowHasPassed() {
        schedule.track(start("a1", Duration.ofSeconds(30)), 0, GROUPS, false, T0);

        assertThat(schedule.due(T0.plusSeconds(10))).isEmpty();
        assertThat(schedule.due(T0.plusMillis(10_999))).isEmpty();
        assertThat(schedule.due(T0.plusSeconds(11))).extracting(Round::time).containsExactly(T0.plusSeconds(10));
        assertThat(schedule.due(T0.plusSeconds(11))).isEmpty();
    }

    @Test
    void aNewAnalysisCatchesUpOnRoundsAlreadyDueButARecoveredOneSkipsThem() {
        schedule.track(start("a1", Duration.ofSeconds(60)), 0, GROUPS, false, T0.plusSeconds(25));
        assertThat(schedule.due(T0.plusSeconds(25))).extracting(Round::time).containsExactly(T0.plusSeconds(10),
                T0.plusSeconds(20));

        Schedule afterRestart = new Schedule(Duration.ofSeconds(10), DELAY);
        afterRestart.track(start("a1", Duration.ofSeconds(60)), 0, GROUPS, true, T0.plusSeconds(25));
        assertThat(afterRestart.due(T0.plusSeconds(25))).isEmpty();
        List<Round> next = afterRestart.due(T0.plusSeconds(31));
        assertThat(next).extracting(Round::time).containsExactly(T0.plusSeconds(30));
        assertThat(next).extracting(Round::window).as("the window after the last skipped round, not since the start")
                .containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void aRecoveredAnalysisWhoseRoundsAreAllPastIsNotPolled() {
        assertThat(schedule.track(start("a1", Duration.ofSeconds(30)), 0, GROUPS, true, T0.plusSeconds(40)))
                .isFalse();
        assertThat(schedule.size()).isZero();
    }

    @Test
    void aRepeatedStartIsIgnoredAndANewAnalysisOfTheReleaseReplacesTheOldOne() {
        assertThat(schedule.track(start("a1", Duration.ofSeconds(30)), 0, GROUPS, false, T0)).isTrue();
        assertThat(schedule.due(T0.plusSeconds(11))).hasSize(1);
        assertThat(schedule.track(start("a1", Duration.ofSeconds(30)), 0, GROUPS, false, T0.plusSeconds(11)))
                .as("re-read after a rebalance of another partition").isFalse();
        assertThat(schedule.due(T0.plusSeconds(11))).as("round 1 is not repeated").isEmpty();

        assertThat(schedule.track(start("a2", Duration.ofSeconds(30)), 0, GROUPS, true, T0.plusSeconds(12))).isTrue();
        assertThat(schedule.size()).isEqualTo(1);
        assertThat(schedule.due(T0.plusSeconds(21))).extracting(Round::analysisId).containsExactly("a2");
    }

    @Test
    void analysesOfPartitionsNoLongerOwnedAreDropped() {
        schedule.track(start("a1", Duration.ofSeconds(30)), 2, GROUPS, false, T0);

        schedule.drop(List.of(0, 1));
        assertThat(schedule.size()).isEqualTo(1);
        schedule.drop(List.of(2));
        assertThat(schedule.size()).isZero();
        assertThat(schedule.due(T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void nothingIsPolledWithoutSeriesOrWithoutAWindow() {
        assertThat(schedule.track(start("a1", Duration.ofSeconds(30)), 0, List.of(), false, T0)).isFalse();
        assertThat(schedule.track(start("a1", Duration.ZERO), 0, GROUPS, false, T0)).isFalse();
        assertThat(schedule.size()).isZero();
    }
}
