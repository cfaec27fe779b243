package io.serin.analyzer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serin.analyzer.analysis.Analyses;
import io.serin.events.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Analysis commands and metric samples (keyed by release id, co-partitioned) meet in one processor.
 * A running analysis is kept in two stores with changelogs, keyed by release id: its definition
 * ({@link #STORE}), written once, and its progress with every series ({@link #PROGRESS_STORE}),
 * rewritten with every change. {@link #SERIES_STORE} holds what earlier versions stored per series,
 * until those analyses are carried over. A wall-clock punctuator decides analyses whose window has
 * passed and drops their state.
 */
public final class AnalyzerTopology {

    public static final String STORE = "analyses";
    public static final String PROGRESS_STORE = "analysis-progress";
    /** Series stored apart by earlier versions: read, and emptied, as their analyses are carried over. */
    public static final String SERIES_STORE = "analysis-series";
    static final String SOURCE = "inputs";
    static final String PROCESSOR = "analyzer";
    static final String VERDICTS_SINK = "verdicts";
    static final String DLQ_SINK = "dead-letters";
    /** Decoded analyses each task keeps at hand; beyond that they are read back from the stores. */
    public static final int DEFAULT_CACHED_ANALYSES = 20_000;

    /** What the processor needs, apart from its stores. */
    record Settings(Analyses analyses, Clock clock, Duration tick, URI source, SampleMetrics metrics,
            int cachedAnalyses) {
    }

    private final Settings settings;

    public AnalyzerTopology(Analyses analyses, Clock clock, Duration tick, URI source) {
        this(analyses, clock, tick, source, new SimpleMeterRegistry(), DEFAULT_CACHED_ANALYSES);
    }

    public AnalyzerTopology(Analyses analyses, Clock clock, Duration tick, URI source, MeterRegistry registry,
            int cachedAnalyses) {
        this.settings = new Settings(analyses, clock, tick, source, new SampleMetrics(registry), cachedAnalyses);
    }

    public Topology build() {
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();
        Topology topology = new Topology();
        // Keys stay bytes: the processor reads the release id from the message, and a dead letter keeps its
        // key exactly as it came.
        topology.addSource(SOURCE, bytes.deserializer(), bytes.deserializer(), Topics.ANALYSIS_COMMANDS,
                Topics.METRIC_SAMPLES);
        topology.addProcessor(PROCESSOR, () -> new AnalyzerProcessor(settings), SOURCE);
        // In memory, restored from the changelogs: the state of running analyses is small and short-lived, and
        // RocksDB cost a third of the throughput. A batch of samples rewrites one progress record however many
        // series it touches; samples sent one by one for the same second meet in the record cache, so that
        // their release's progress is logged once per commit, not once per sample.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), strings, bytes)
                .withCachingDisabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PROGRESS_STORE), strings,
                bytes).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SERIES_STORE), strings,
                SeriesCodec.SERDE).withCachingDisabled(), PROCESSOR);
        topology.addSink(VERDICTS_SINK, Topics.ANALYSIS_VERDICTS, bytes.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, (key, value, context) -> Topics.deadLetter(context.topic()), bytes.serializer(),
                bytes.serializer(), PROCESSOR);
        return topology;
    }
}
