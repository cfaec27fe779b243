package io.serin.analyzer.bench;

import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.Direction;
import io.serin.events.EventCodec;
import io.serin.events.HistogramBucket;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.Variant;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The analyses and samples the benchmarks publish, encoded as publishers send them (CloudEvents JSON). */
final class Workload {

    static final URI SOURCE = URI.create("urn:serin:bench");
    static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    static final Measure.Ratio ERRORS = new Measure.Ratio("errors", "requests");
    /** 50 requests a second: 20% under 50 ms, ..., all under 1 s. */
    static final List<HistogramBucket> LATENCY = List.of(new HistogramBucket(0.05, 10), new HistogramBucket(0.1, 30),
            new HistogramBucket(0.25, 45), new HistogramBucket(0.5, 49), new HistogramBucket(1.0, 50));
    /** Samples per analysis and second in {@link #ingestSecond}. */
    static final int INGEST_SAMPLES_PER_SECOND = 6;

    private Workload() {
    }

    /**
     * An analysis as the planner starts it for a canary, judged by the sequential error-rate judge and a
     * p99 latency comparison, both against stable. The huge minCount keeps the sequential judge from
     * passing early and the comparison waits for the window's end: every sample is folded for as long
     * as the benchmark runs.
     */
    static byte[] ingestAnalysis(String releaseId, Instant startAt, Duration window) {
        return COMMANDS.encode(CloudEvent.of(SOURCE, releaseId, startAt, new AnalysisCommand.Start(
                releaseId + "/analysis", releaseId, startAt, window, List.of(
                        new MetricCheck("error-rate", Variant.CANARY, ERRORS, new Judge.Sequential(null, null, null),
                                1_000_000_000L, Variant.STABLE),
                        new MetricCheck("latency-p99", Variant.CANARY, new Measure.Latency("latency", 0.99),
                                new Judge.Comparison(Direction.INCREASE, 0.2, false), 100L, Variant.STABLE)))));
    }

    /** One second of an app's metrics: requests, errors (1%) and a latency histogram, for canary and stable. */
    static byte[][] ingestSecond(String releaseId, Instant at, int second) {
        byte[][] samples = new byte[INGEST_SAMPLES_PER_SECOND][];
        int i = 0;
        for (Variant v : List.of(Variant.STABLE, Variant.CANARY)) {
            samples[i++] = sample(new MetricSample(releaseId, v, "requests", 50, at));
            samples[i++] = sample(new MetricSample(releaseId, v, "errors", second % 2, at));
            samples[i++] = sample(new MetricSample(releaseId, v, "latency", 50, at, LATENCY));
        }
        return samples;
    }

    /** The same second as {@link #ingestSecond}, all six series in one batch. */
    static byte[] ingestBatch(String releaseId, Instant at, int second) {
        List<MetricSampleBatch.Entry> entries = new ArrayList<>();
        for (Variant v : List.of(Variant.STABLE, Variant.CANARY)) {
            entries.add(new MetricSampleBatch.Entry(v, "requests", 50));
            entries.add(new MetricSampleBatch.Entry(v, "errors", second % 2));
            entries.add(new MetricSampleBatch.Entry(v, "latency", 50, null, LATENCY));
        }
        return SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, at, new MetricSampleBatch(releaseId, at, entries)));
    }

    /** An analysis with the sequential error-rate judge alone (the analyzer's default), canary against stable. */
    static byte[] latencyAnalysis(String releaseId, Instant startAt, Duration window) {
        return COMMANDS.encode(CloudEvent.of(SOURCE, releaseId, startAt, new AnalysisCommand.Start(
                releaseId + "/analysis", releaseId, startAt, window, List.of(new MetricCheck("error-rate",
                        Variant.CANARY, ERRORS, new Judge.Sequential(null, null, null), null, Variant.STABLE)))));
    }

    /**
     * Stable's hour before {@code startAt} in 5-second steps, 250 requests and 2 or 3 errors each, as the
     * Prometheus source sends it: the robust judge then knows the noise from the start.
     */
    static byte[] cleanHistory(String releaseId, Instant startAt) {
        List<Double> errors = new ArrayList<>();
        List<Double> requests = new ArrayList<>();
        for (int i = 0; i < 720; i++) {
            errors.add(i % 2 == 0 ? 2.0 : 3.0);
            requests.add(250.0);
        }
        return SAMPLES.encode(CloudEvent.of(SOURCE, releaseId, startAt, new MetricHistory(releaseId, Variant.STABLE,
                startAt.minusSeconds(3600), Duration.ofSeconds(5), List.of(new MetricHistory.Series("errors", errors),
                        new MetricHistory.Series("requests", requests)))));
    }

    /**
     * One second of counters, without errors until the canary fails every request: the sequential judge
     * can decide nothing before that second, and FAILED once all four samples of it are in, so the last
     * (the canary's errors) is the one that tips the decision.
     */
    static byte[][] latencySecond(String releaseId, Instant at, boolean failing) {
        return new byte[][] {
                sample(new MetricSample(releaseId, Variant.STABLE, "requests", 50, at)),
                sample(new MetricSample(releaseId, Variant.STABLE, "errors", 0, at)),
                sample(new MetricSample(releaseId, Variant.CANARY, "requests", 50, at)),
                sample(new MetricSample(releaseId, Variant.CANARY, "errors", failing ? 50 : 0, at))};
    }

    static byte[] sample(MetricSample sample) {
        return SAMPLES.encode(CloudEvent.of(SOURCE, sample.releaseId(), sample.time(), sample));
    }
}
