package io.serin.sandbox.traffic;

import io.serin.events.Limits;
import io.serin.events.MetricHistory;
import io.serin.events.Variant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring of one variant role's recent ticks, and the history it gives. */
class TallyHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** {@code requests} requests, {@code errors} of them failed, one latency per request in bucket {@code bucket}. */
    private static Tally tally(long requests, long errors, int bucket) {
        long[] buckets = new long[LatencyModel.BOUNDS.length + 1];
        buckets[bucket] = requests;
        return new Tally(requests, errors, buckets, 0);
    }

    private static List<Double> values(MetricHistory history, String metric, Double le) {
        return history.series().stream().filter(s -> s.metric().equals(metric) && java.util.Objects.equals(s.le(), le))
                .findFirst().orElseThrow().values();
    }

    @Test
    void stepsAreTheTickButAtLeastOneSecondAndAtMostOneMinuteAndTheRingHoldsAtMostAnHour() {
        assertThat(TallyHistory.step(Duration.ofMillis(250))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TallyHistory.step(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(TallyHistory.step(Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(1));
        assertThat(new TallyHistory(Duration.ofMillis(250)).capacity()).isEqualTo(3600);
        assertThat(new TallyHistory(Duration.ofSeconds(5)).capacity()).isEqualTo(720);
        assertThat(new TallyHistory(Duration.ofMinutes(2)).capacity()).isEqualTo(60);
        assertThat(new TallyHistory(Duration.ofMillis(250)).capacity()).isLessThanOrEqualTo(Limits.MAX_HISTORY_VALUES);
    }

    @Test
    void sumsTheTicksOfEachWholeStepUpToTheAnalysisStart() {
        TallyHistory ring = new TallyHistory(Duration.ofMillis(250));
        assertThat(ring.history("rel", Variant.STABLE, T0)).as("nothing yet").isNull();
        // the first tick ends 0.5 s into second 0: that second is only partly observed, and left out
        Instant end = T0.plusMillis(500);
        for (int i = 0; i <= 22; i++) { // to T0 + 6 s: seconds 1 to 5 whole
            ring.add(end, tally(100 + i, i % 4 == 0 ? 1 : 0, i % 3));
            end = end.plusMillis(250);
        }
        ring.add(T0.plusMillis(6_250), tally(1000, 0, 0)); // second 6 under way: not whole yet

        MetricHistory history = ring.history("rel", Variant.STABLE, T0.plusSeconds(60));
        assertThat(history.problem()).isNull();
        assertThat(history.releaseId()).isEqualTo("rel");
        assertThat(history.variant()).isEqualTo(Variant.STABLE);
        assertThat(history.start()).isEqualTo(T0.plusSeconds(1));
        assertThat(history.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(history.series()).hasSize(3 + LatencyModel.BOUNDS.length);
        // second k (1..5) holds the ticks i = 4k-1 .. 4k+2 (ending at k+0.25, k+0.5, k+0.75, k+1)
        assertThat(values(history, "requests", null)).containsExactly(
                103. + 104 + 105 + 106, 107. + 108 + 109 + 110, 111. + 112 + 113 + 114,
                115. + 116 + 117 + 118, 119. + 120 + 121 + 122);
        assertThat(values(history, "errors", null)).containsExactly(1., 1., 1., 1., 1.);
        assertThat(values(history, "latency", null)).isEqualTo(values(history, "requests", null));
        // cumulative: everything at or below the third bound; the first bound only ticks with i % 3 == 0
        assertThat(values(history, "latency", LatencyModel.BOUNDS[2])).isEqualTo(values(history, "requests", null));
        assertThat(values(history, "latency", LatencyModel.BOUNDS[0]).get(0)).isEqualTo(103. + 106);
        assertThat(values(history, "latency", LatencyModel.BOUNDS[18])).isEqualTo(values(history, "requests", null));

        MetricHistory untilStart = ring.history("rel", Variant.BASELINE, T0.plusMillis(3_900));
        assertThat(untilStart.start()).isEqualTo(T0.plusSeconds(1));
        assertThat(values(untilStart, "requests", null)).as("seconds 1 and 2: those that ended by the start")
                .containsExactly(103. + 104 + 105 + 106, 107. + 108 + 109 + 110);
        assertThat(untilStart.variant()).isEqualTo(Variant.BASELINE);
        assertThat(ring.history("rel", Variant.STABLE, T0.plusMillis(1_500))).as("no whole step by then").isNull();
    }

    @Test
    void aStepWithoutTicksIsNullAndTheRingKeepsOnlyTheLastHour() {
        TallyHistory ring = new TallyHistory(Duration.ofSeconds(5));
        ring.add(T0.plusSeconds(5), tally(10, 0, 0));
        ring.add(T0.plusSeconds(15), tally(30, 0, 0)); // the tick ending at 10 s failed
        MetricHistory history = ring.history("rel", Variant.STABLE, T0.plusSeconds(15));
        assertThat(history.start()).isEqualTo(T0);
        assertThat(values(history, "requests", null)).containsExactly(10., null, 30.);
        assertThat(history.problem()).isNull();

        Instant end = T0.plusSeconds(20);
        int ticks = 720 + 100; // more than an hour of 5 s steps
        for (int i = 0; i < ticks; i++) {
            ring.add(end, tally(i, 0, 0));
            end = end.plusSeconds(5);
        }
        Instant last = end.minusSeconds(5);
        MetricHistory hour = ring.history("rel", Variant.STABLE, last.plusSeconds(3600));
        assertThat(hour.series().get(0).values()).hasSize(720).doesNotContainNull();
        assertThat(hour.start()).isEqualTo(last.minus(Duration.ofHours(1)));
        assertThat(hour.series().get(0).values().get(719)).isEqualTo(ticks - 1.0);
        assertThat(hour.series().get(0).values().get(0)).isEqualTo(ticks - 720.0);
        assertThat(hour.problem()).isNull();

        ring.add(T0.plusSeconds(5), tally(5, 0, 0)); // older than the ring reaches: dropped
        assertThat(ring.history("rel", Variant.STABLE, last).series().get(0).values())
                .isEqualTo(hour.series().get(0).values());
    }

    @Test
    void stepsNeverOutlastTheLimitOfAMessage() {
        TallyHistory ring = new TallyHistory(Duration.ofSeconds(1));
        Instant end = T0;
        for (int i = 0; i < 2 * 3600; i++) {
            end = end.plusSeconds(1);
            ring.add(end, tally(1, 0, 0));
        }
        MetricHistory history = ring.history("rel", Variant.STABLE, end);
        assertThat(history.series()).allSatisfy(s -> assertThat(s.values()).hasSize(3600));
        assertThat(history.problem()).isNull();
        assertThat(Collections.frequency(history.series().get(0).values(), 1.0)).isEqualTo(3600);
        assertThat(Arrays.asList(history.start(), history.step()))
                .containsExactly(end.minus(Duration.ofHours(1)), Duration.ofSeconds(1));
    }
}
