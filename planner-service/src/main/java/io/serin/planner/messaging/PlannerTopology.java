package io.serin.planner.messaging;

import io.serin.events.Topics;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.Timer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.net.URI;
import java.time.Clock;

/**
 * Requests, operator actions, executor results and verdicts (all keyed by release id,
 * co-partitioned) meet in one processor that owns the release store and the timer store; a
 * wall-clock punctuator fires due timers (pause ends, progress deadlines). Run with exactly_once_v2, a state change and the records it
 * emits commit together, so a crash can neither lose a step nor emit one twice.
 */
public final class PlannerTopology {

    public static final String STORE = "releases";
    public static final String TIMERS = "release-timers";
    static final String SOURCE = "inputs";
    static final String PROCESSOR = "planner";
    static final String COMMANDS_SINK = "executor-commands";
    static final String ANALYSIS_SINK = "analysis-commands";
    static final String EVENTS_SINK = "release-events";
    static final String DLQ_SINK = "dead-letters";

    private final ReleasePlanner planner;
    private final Clock clock;
    private final URI source;

    private final java.time.Duration tick;

    public PlannerTopology(ReleasePlanner planner, Clock clock, URI source) {
        this(planner, clock, source, java.time.Duration.ofMillis(200));
    }

    /** @param tick how often due timers are looked for (wall clock) */
    public PlannerTopology(ReleasePlanner planner, Clock clock, URI source, java.time.Duration tick) {
        this.planner = planner;
        this.clock = clock;
        this.source = source;
        this.tick = tick;
    }

    public Topology build() {
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();
        Topology topology = new Topology();
        topology.addSource(SOURCE, strings.deserializer(), bytes.deserializer(), Topics.RELEASE_REQUESTS,
                Topics.EXECUTOR_RESULTS, Topics.ANALYSIS_VERDICTS);
        topology.addProcessor(PROCESSOR, () -> new PlannerProcessor(planner, clock, source, tick), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), strings,
                JsonSerde.of(ReleaseState.class)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS), strings,
                JsonSerde.of(Timer.class)), PROCESSOR);
        topology.addSink(COMMANDS_SINK, Topics.EXECUTOR_COMMANDS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(ANALYSIS_SINK, Topics.ANALYSIS_COMMANDS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(EVENTS_SINK, Topics.RELEASE_EVENTS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, (key, value, context) -> Topics.deadLetter(context.topic()), strings.serializer(),
                bytes.serializer(), PROCESSOR);
        return topology;
    }
}
