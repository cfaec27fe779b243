package io.serin.analyzer.analysis;

import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricSample;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysesTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final MetricCheck ERROR_RATE = new MetricCheck("error-rate", Variant.CANARY,
            new Measure.Ratio("errors", "requests"), new Judge.Threshold(null, 0.05), 100L);

    private final Analyses analyses = new Analyses(Duration.ofSeconds(2));

    private AnalysisState withTraffic(int seconds, int requestsPerSecond, int errorsPerSecond) {
        AnalysisState s = analyses.start(new AnalysisCommand.Start("a1", "r1", T0, Duration.ofSeconds(30),
                List.of(ERROR_RATE)));
        for (int i = 0; i < seconds; i++) {
            Instant t = T0.plusSeconds(i);
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", requestsPerSecond, t));
            s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "errors", errorsPerSecond, t));
        }
        return s;
    }

    @Test
    void passesAnErrorRateWithinTheThresholdWithItsEvidence() {
        AnalysisVerdict v = analyses.decide(withTraffic(30, 50, 1), T0.plusSeconds(32));
        assertThat(v.verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(v.metrics()).singleElement().satisfies(e -> {
            assertThat(e.value()).isEqualTo(0.02);
            assertThat(e.numerator()).isEqualTo(30);
            assertThat(e.denominator()).isEqualTo(1500);
            assertThat(e.samples()).isEqualTo(30);
            assertThat(e.max()).isEqualTo(0.05);
        });
    }

    @Test
    void failsAnErrorRateAboveTheThresholdSayingByHowMuch() {
        AnalysisVerdict v = analyses.decide(withTraffic(30, 50, 5), T0.plusSeconds(32));
        assertThat(v.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(v.reason()).isEqualTo("error-rate 0.1000 > max 0.0500 (150 / 1500 over 30 samples)");
    }

    @Test
    void isInconclusiveWithoutTrafficAndWithTooLittleTraffic() {
        AnalysisVerdict none = analyses.decide(withTraffic(0, 0, 0), T0.plusSeconds(32));
        assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(none.reason()).contains("too little data (0 observations, need 100)");
        assertThat(analyses.decide(withTraffic(30, 3, 0), T0.plusSeconds(32)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void countsOnlySamplesInsideTheWindowOfTheCheckedVariant() {
        AnalysisState s = withTraffic(0, 0, 0);
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 500, T0.minusMillis(1)));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 500, T0.plusSeconds(31)));
        s = analyses.add(s, new MetricSample("r1", Variant.STABLE, "requests", 500, T0.plusSeconds(1)));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "cpu", 0.5, T0.plusSeconds(1)));
        assertThat(s.series()).isEmpty();
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 500, T0.plusSeconds(30)));
        assertThat(s.series(Variant.CANARY, "requests")).isEqualTo(new Series(500, 1));
    }

    @Test
    void isDueOnlyAfterTheWindowAndTheGracePeriod() {
        AnalysisState s = withTraffic(0, 0, 0);
        assertThat(analyses.due(s, T0.plusSeconds(31))).isFalse();
        assertThat(analyses.due(s, T0.plusSeconds(32))).isTrue();
    }

    @Test
    void failsWhenAnyMetricFailsEvenIfAnotherIsInconclusive() {
        MetricCheck latency = new MetricCheck("slow-share", Variant.CANARY, new Measure.Ratio("slow", "requests"),
                new Judge.Threshold(null, 0.5), 1_000_000L);
        AnalysisState s = analyses.start(new AnalysisCommand.Start("a1", "r1", T0, Duration.ofSeconds(30),
                List.of(ERROR_RATE, latency)));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "requests", 1000, T0));
        s = analyses.add(s, new MetricSample("r1", Variant.CANARY, "errors", 200, T0));
        AnalysisVerdict v = analyses.decide(s, T0.plusSeconds(40));
        assertThat(v.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(v.metrics()).extracting(e -> e.verdict()).containsExactly(Verdict.FAILED, Verdict.INCONCLUSIVE);
    }
}
