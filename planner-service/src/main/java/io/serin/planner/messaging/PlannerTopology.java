package io.serin.planner.messaging;

import io.serin.events.Topics;
import io.serin.planner.plan.Admissions;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.Timer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.net.URI;
import java.time.Clock;

/**
 * Requests, operator actions, executor results, verdicts and admission outcomes (all keyed by
 * release id, co-partitioned) meet in one processor that owns the release store and the timer
 * store; a wall-clock punctuator fires due timers (pause ends, progress deadlines). A valid new
 * request first goes, keyed by its target, through the admission processor, which lets one release
 * per target run and queues the others. Run with exactly_once_v2, a state change and the records it
 * emits commit together, so a crash can neither lose a step nor emit one twice.
 */
public final class PlannerTopology {

    public static final String STORE = "releases";
    public static final String TIMERS = "release-timers";
    public static final String ADMISSIONS = "target-admissions";
    /** The planner's own topics: requests re-keyed by target, and admission outcomes keyed by release. */
    public static final String ADMISSIONS_TOPIC = "serin.planner.admissions";
    public static final String ADMITTED_TOPIC = "serin.planner.admitted";
    static final String ADMISSION_SOURCE = "admission-requests";
    static final String ADMISSION_PROCESSOR = "admission";
    static final String ADMISSIONS_SINK = "to-admission";
    static final String ADMITTED_SINK = "admitted";
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

    private final Admissions admissions;
    private final java.time.Duration retention;

    public PlannerTopology(ReleasePlanner planner, Clock clock, URI source) {
        this(planner, clock, source, java.time.Duration.ofMillis(200), new Admissions(DEFAULT_QUEUE_LIMIT),
                DEFAULT_RETENTION);
    }

    /**
     * @param tick       how often due timers are looked for (wall clock)
     * @param admissions the one-release-per-target policy
     * @param retention  how long a finished release stays in the store (and answers reads)
     */
    public PlannerTopology(ReleasePlanner planner, Clock clock, URI source, java.time.Duration tick,
            Admissions admissions, java.time.Duration retention) {
        this.planner = planner;
        this.clock = clock;
        this.source = source;
        this.tick = tick;
        this.admissions = admissions;
        this.retention = retention;
    }

    static final java.time.Duration DEFAULT_RETENTION = java.time.Duration.ofDays(7);

    static final int DEFAULT_QUEUE_LIMIT = 10;

    public Topology build() {
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();
        Topology topology = new Topology();
        topology.addSource(SOURCE, strings.deserializer(), bytes.deserializer(), Topics.RELEASE_REQUESTS,
                Topics.EXECUTOR_RESULTS, Topics.ANALYSIS_VERDICTS, ADMITTED_TOPIC);
        topology.addProcessor(PROCESSOR, () -> new PlannerProcessor(planner, clock, source, tick, retention), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), strings,
                JsonSerde.of(ReleaseState.class)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS), strings,
                JsonSerde.of(Timer.class)), PROCESSOR);
        topology.addSink(COMMANDS_SINK, Topics.EXECUTOR_COMMANDS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(ANALYSIS_SINK, Topics.ANALYSIS_COMMANDS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(EVENTS_SINK, Topics.RELEASE_EVENTS, strings.serializer(), bytes.serializer(), PROCESSOR);
        topology.addSink(ADMISSIONS_SINK, ADMISSIONS_TOPIC, strings.serializer(), bytes.serializer(), PROCESSOR);
        // admission per target: a sub-topology of its own, fed by the re-keyed requests
        topology.addSource(ADMISSION_SOURCE, strings.deserializer(), JsonSerde.of(AdmissionMessage.class).deserializer(),
                ADMISSIONS_TOPIC);
        topology.addProcessor(ADMISSION_PROCESSOR, () -> new AdmissionProcessor(admissions), ADMISSION_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMISSIONS), strings,
                JsonSerde.of(Admissions.TargetQueue.class)), ADMISSION_PROCESSOR);
        topology.addSink(ADMITTED_SINK, ADMITTED_TOPIC, strings.serializer(),
                JsonSerde.of(Admissions.Outcome.class).serializer(), ADMISSION_PROCESSOR);
        topology.addSink(DLQ_SINK, (key, value, context) -> Topics.deadLetter(context.topic()), strings.serializer(),
                bytes.serializer(), PROCESSOR);
        return topology;
    }
}
