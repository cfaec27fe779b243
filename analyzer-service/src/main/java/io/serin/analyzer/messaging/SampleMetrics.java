package io.serin.analyzer.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code serin_analyzer_samples_total{outcome}}: {@code counted}; {@code late}, for a bucket the
 * comparing judges had already folded, so counted in the window's totals only; {@code ignored}, for
 * no running analysis of the release, outside its window, or of a series no check reads.
 */
final class SampleMetrics {

    static final String SAMPLES = "serin.analyzer.samples";

    private final Counter counted;
    private final Counter late;
    private final Counter ignored;

    SampleMetrics(MeterRegistry registry) {
        counted = counter(registry, "counted");
        late = counter(registry, "late");
        ignored = counter(registry, "ignored");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(SAMPLES).description("Metric samples the analyzer read, by what became of them")
                .tag("outcome", outcome).register(registry);
    }

    void counted() {
        counted.increment();
    }

    void late() {
        late.increment();
    }

    void ignored() {
        ignored.increment();
    }

    void ignored(int samples) {
        ignored.increment(samples);
    }
}
