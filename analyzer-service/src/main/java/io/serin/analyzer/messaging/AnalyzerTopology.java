package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.events.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Analysis commands and metric samples (keyed by release id, co-partitioned) meet in one processor
 * that keeps each release's running analysis in a store with a changelog; a wall-clock punctuator
 * decides analyses whose window has passed and drops their state.
 */
public final class AnalyzerTopology {

    public static final String STORE = "analyses";
    static final String SOURCE = "inputs";
    static final String PROCESSOR = "analyzer";
    static final String VERDICTS_SINK = "verdicts";
    static final String DLQ_SINK = "dead-letters";

    private final Analyses analyses;
    private final Clock clock;
    private final Duration tick;
    private final URI source;

    public AnalyzerTopology(Analyses analyses, Clock clock, Duration tick, URI source) {
        this.analyses = analyses;
        this.clock = clock;
        this.tick = tick;
        this.source = source;
    }

    public Topology build() {
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();
        Topology topology = new Topology();
        topology.addSource(SOURCE, strings.deserializer(), bytes.deserializer(), Topics.ANALYSIS_COMMANDS,
                Topics.METRIC_SAMPLES);
        topology.addProcessor(PROCESSOR, () -> new AnalyzerProcessor(analyses, clock, tick, source), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), strings,
                JsonSerde.of(AnalysisState.class)), PROCESSOR);
        topology.addSink(VERDICTS_SINK, Topics.ANALYSIS_VERDICTS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, (key, value, context) -> Topics.deadLetter(context.topic()), strings.serializer(),
                bytes.serializer(), PROCESSOR);
        return topology;
    }
}
