package io.serin.planner.messaging;

import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.InvalidMessageException;
import io.serin.events.MessageTypes;
import io.serin.events.ReleaseEvent;
import io.serin.events.policy.Redaction;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseRequested;
import io.serin.events.Topics;
import io.serin.events.VerdictMessage;
import io.serin.kafka.DeadLetter;
import io.serin.events.AnalysisVerdict;
import io.serin.planner.plan.Admissions;
import io.serin.planner.plan.Decision;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.Timer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Thin adapter: decode, load state, ask the planner, store state and forward what it decided. */
final class PlannerProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(PlannerProcessor.class);
    private static final EventCodec<ReleaseRequestMessage> REQUESTS = EventCodec.of(ReleaseRequestMessage.class);
    private static final EventCodec<ExecutorResult> RESULTS = EventCodec.of(ExecutorResult.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);
    private static final EventCodec<ExecutorCommand> COMMANDS = EventCodec.of(ExecutorCommand.class);
    private static final EventCodec<AnalysisCommand> ANALYSES = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<ReleaseEvent> EVENTS = EventCodec.of(ReleaseEvent.class);
    private static final org.apache.kafka.common.serialization.Serde<Admissions.Outcome> OUTCOMES =
            JsonSerde.of(Admissions.Outcome.class);
    private static final org.apache.kafka.common.serialization.Serde<AdmissionMessage> ADMISSION_MESSAGES =
            JsonSerde.of(AdmissionMessage.class);

    private final ReleasePlanner planner;
    private final Clock clock;
    private final URI source;
    private ProcessorContext<String, byte[]> context;
    private final Duration tick;
    private KeyValueStore<String, ReleaseState> store;
    private KeyValueStore<String, Timer> timers;

    private final Duration retention;

    PlannerProcessor(ReleasePlanner planner, Clock clock, URI source, Duration tick, Duration retention) {
        this.planner = planner;
        this.clock = clock;
        this.source = source;
        this.tick = tick;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(PlannerTopology.STORE);
        this.timers = context.getStateStore(PlannerTopology.TIMERS);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> fireDueTimers());
    }

    /** Fires every timer due by now, oldest first; each fires once, in the same transaction as its effects. */
    private void fireDueTimers() {
        Instant now = clock.instant();
        List<KeyValue<String, Timer>> due = new ArrayList<>();
        try (KeyValueIterator<String, Timer> it = timers.range("", Timer.lastKeyDueAt(now))) {
            // keys order by millisecond; a timer due later within this millisecond waits for the next tick,
            // so nothing (a pause, a deadline) ever ends before its time
            it.forEachRemaining(entry -> {
                if (entry.value == null || !entry.value.dueAt().isAfter(now)) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, Timer> entry : due) {
            timers.delete(entry.key);
            Timer timer = entry.value;
            try {
                if (timer.kind() == Timer.Kind.EXPIRE) {
                    expire(timer.releaseId());
                } else {
                    apply(timer.releaseId(), planner.onTimer(timer, store.get(timer.releaseId()), now), now);
                }
            } catch (KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                // no source record to dead-letter: the release's own log says why it ended
                String reason = "timer " + timer.kind() + " " + timer.ref() + " could not be handled ("
                        + describe(e) + ")";
                LOG.errorf(e, "[%s] %s", timer.releaseId(), reason);
                halt(timer.releaseId(), reason, now);
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        Instant now = clock.instant();
        try {
            switch (topic) {
                case Topics.RELEASE_REQUESTS -> onRequest(record, now);
                case Topics.EXECUTOR_RESULTS -> {
                    ExecutorResult result = InputChecks.result(RESULTS.decode(record.value()).data());
                    apply(result.releaseId(), planner.onResult(result, store.get(result.releaseId()), now), now);
                }
                case Topics.ANALYSIS_VERDICTS -> {
                    AnalysisVerdict verdict = InputChecks.verdict(VERDICTS.decode(record.value()).data());
                    apply(verdict.releaseId(), planner.onVerdict(verdict, store.get(verdict.releaseId()), now), now);
                }
                case PlannerTopology.ADMITTED_TOPIC -> {
                    Admissions.Outcome outcome = InputChecks.outcome(
                            () -> OUTCOMES.deserializer().deserialize(topic, record.value()));
                    apply(outcome.releaseId(), planner.onAdmission(outcome, store.get(outcome.releaseId()), now), now);
                }
                default -> throw new IllegalStateException("unexpected source topic " + topic);
            }
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
        } catch (KafkaException e) {
            throw e; // the broker or a store failed: the task restarts and reads the record again
        } catch (RuntimeException e) {
            unplannable(record, topic, e, now);
        }
    }

    /**
     * A readable input that the planner could not process (a defect, or values no validation
     * foresaw). It is dead-lettered with the reason, and its release does not wait for a decision
     * that will never come: a running one is halted (rolled back), a new one rejected, its target freed.
     * Nothing of the failed attempt was written (see {@link #apply}), so the store is as before.
     */
    private void unplannable(Record<String, byte[]> record, String topic, RuntimeException e, Instant now) {
        String reason = "cannot process (" + describe(e) + ")";
        LOG.errorf(e, "[%s] %s", record.key(), reason);
        deadLetter(record, reason);
        String id = record.key();
        if (id == null) {
            return;
        }
        ReleaseState state = store.get(id);
        if (state != null) {
            halt(id, reason, now);
            return;
        }
        io.serin.events.WorkloadRef admittedTarget = admittedTarget(topic, record);
        boolean newRequest = topic.equals(Topics.RELEASE_REQUESTS) && isRequest(record);
        if (!newRequest && admittedTarget == null) {
            return; // neither a new request nor one just admitted: no release to end
        }
        try {
            apply(id, planner.reject(id, null, List.of(new io.serin.events.Violation("request",
                    "could not be planned: " + describe(e))), now), now);
        } finally {
            if (admittedTarget != null) {
                toAdmission(admittedTarget, AdmissionMessage.released(id), now);
            }
        }
    }

    private void halt(String releaseId, String reason, Instant now) {
        try {
            apply(releaseId, planner.halt(store.get(releaseId), reason, now), now);
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] cannot halt the release either; it stays %s", releaseId,
                    store.get(releaseId) == null ? "unknown" : store.get(releaseId).phase());
        }
    }

    /** The target an admission outcome gave a release, if the record is one that admitted it. */
    private static io.serin.events.WorkloadRef admittedTarget(String topic, Record<String, byte[]> record) {
        if (!PlannerTopology.ADMITTED_TOPIC.equals(topic)) {
            return null;
        }
        try {
            Admissions.Outcome outcome = OUTCOMES.deserializer().deserialize(topic, record.value());
            return outcome.kind() == Admissions.Outcome.Kind.ADMITTED && outcome.request() != null
                    ? outcome.request().target() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isRequest(Record<String, byte[]> record) {
        try {
            return REQUESTS.decode(record.value()).data() instanceof ReleaseRequested;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        return DeadLetter.describe(e);
    }

    private void onRequest(Record<String, byte[]> record, Instant now) {
        try {
            ReleaseRequestMessage message = REQUESTS.decode(record.value()).data();
            if (message instanceof ReleaseActionRequested action) {
                InputChecks.action(action);
                ReleaseState state = action.releaseId() == null ? null : store.get(action.releaseId());
                if (state == null) {
                    deadLetter(record, "operator action " + action.action() + " for unknown release '"
                            + action.releaseId() + "'");
                    return;
                }
                apply(action.releaseId(), planner.onAction(action, state, now), now);
            } else if (message instanceof ReleaseRequested request) {
                String id = request.releaseId() != null ? request.releaseId() : record.key();
                if (id == null) {
                    deadLetter(record, "release request without releaseId and without record key");
                    return;
                }
                ReleaseState existing = store.get(id);
                if (existing != null) {
                    // the same request again is a harmless retry; other content under a used id is refused
                    apply(id, planner.onReusedId(request, existing, now), now);
                    return;
                }
                if (planner.check(request, record.key()).isEmpty()) {
                    // valid and new: it runs once its target is free (one active release per target)
                    toAdmission(request.target(), AdmissionMessage.request(request), now);
                } else {
                    apply(id, planner.onRequest(request, record.key(), existing, now), now);
                }
            } else {
                throw new IllegalStateException("unhandled request " + message.getClass());
            }
        } catch (InvalidMessageException e) {
            // A readable request envelope with an unreadable payload is a request we can answer.
            String id = record.key() != null ? record.key() : e.subject();
            boolean isRequest = e.payloadInvalid() && ReleaseRequested.class.equals(MessageTypes.classOf(e.type()));
            if (isRequest && id != null && store.get(id) == null) {
                apply(id, planner.reject(id, null, e.violations(), now), now);
            } else {
                throw e;
            }
        }
    }

    /**
     * Writes a decision: the state, its timers and every record it emits. All records are encoded
     * before anything is written, so a decision that cannot be written leaves no trace of itself.
     */
    private void apply(String releaseId, Decision decision, Instant now) {
        if (decision.isIgnored()) {
            LOG.infof("[%s] %s", releaseId, decision.ignoredBecause());
            return;
        }
        ReleaseState before = store.get(releaseId);
        ReleaseState after = decision.state();
        long ts = now.toEpochMilli();
        List<Output> outputs = new ArrayList<>();
        if (decision.admission() != null) {
            outputs.add(admission(decision.admission().target(), AdmissionMessage.request(decision.admission()), now));
        }
        if (after.phase().terminal() && before != null && !before.phase().terminal() && after.request() != null) {
            outputs.add(admission(after.request().target(), AdmissionMessage.released(releaseId), now));
        }
        for (ExecutorCommand c : decision.commands()) {
            outputs.add(new Output(PlannerTopology.COMMANDS_SINK, new Record<>(releaseId, COMMANDS.encode(
                    CloudEvent.withId(c.commandId(), source, releaseId, now, c)), ts, new RecordHeaders())));
        }
        for (AnalysisCommand a : decision.analyses()) {
            outputs.add(new Output(PlannerTopology.ANALYSIS_SINK, new Record<>(releaseId, ANALYSES.encode(
                    CloudEvent.withId(a.analysisId(), source, releaseId, now, a)), ts, new RecordHeaders())));
        }
        for (ReleaseEvent e : decision.events()) {
            // the audit log and chat show URLs without userinfo or query; the state keeps what the executor needs
            String id = releaseId + "/" + e.sequence();
            byte[] event = EVENTS.encode(CloudEvent.withId(id, source, releaseId, now, e));
            if (Redaction.mayHoldUrl(event)) {
                event = EVENTS.encode(CloudEvent.withId(id, source, releaseId, now, Redaction.shown(e)));
            }
            outputs.add(new Output(PlannerTopology.EVENTS_SINK, new Record<>(releaseId, event, ts,
                    new RecordHeaders())));
        }
        List<Timer> timersToSet = new ArrayList<>(decision.timers());
        if (after.phase().terminal() && (before == null || !before.phase().terminal())) {
            timersToSet.add(new Timer(releaseId, Timer.Kind.EXPIRE, "retention", now.plus(retention)));
        }
        timersToSet.forEach(Timer::key); // a timer whose key cannot be formed fails here, before any write

        store.put(releaseId, after);
        for (Timer timer : timersToSet) {
            timers.put(timer.key(), timer);
        }
        for (ReleaseEvent e : decision.events()) {
            LOG.infof("[%s] #%d %s", releaseId, e.sequence(), e.getClass().getSimpleName());
        }
        for (Output output : outputs) {
            context.forward(output.record(), output.sink());
        }
    }

    private record Output(String sink, Record<String, byte[]> record) {
    }

    /** A finished release past its retention leaves the store; a retried one is kept. */
    private void expire(String releaseId) {
        ReleaseState state = store.get(releaseId);
        if (state != null && state.phase().terminal()
                && !state.updatedAt().plus(retention).isAfter(clock.instant())) {
            store.delete(releaseId);
            LOG.infof("[%s] forgotten: %s since %s, retention %s", releaseId, state.phase(), state.updatedAt(),
                    retention);
        } else if (state != null && state.phase().terminal()) {
            // acted on since it finished (an action recorded): keep it a full retention from then
            Timer later = new Timer(releaseId, Timer.Kind.EXPIRE, "retention", state.updatedAt().plus(retention));
            timers.put(later.key(), later);
        }
    }

    private void toAdmission(io.serin.events.WorkloadRef target, AdmissionMessage message, Instant now) {
        Output output = admission(target, message, now);
        context.forward(output.record(), output.sink());
    }

    private static Output admission(io.serin.events.WorkloadRef target, AdmissionMessage message, Instant now) {
        return new Output(PlannerTopology.ADMISSIONS_SINK, new Record<>(Admissions.key(target),
                ADMISSION_MESSAGES.serializer().serialize(PlannerTopology.ADMISSIONS_TOPIC, message),
                now.toEpochMilli(), new RecordHeaders()));
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        String origin = context.recordMetadata().map(m -> DeadLetter.origin(m.topic(), m.partition(), m.offset()))
                .orElse("unknown");
        LOG.warnf("[%s] dead-lettering record %s: %s", record.key(), origin, reason);
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetter.headers(reason, origin)), PlannerTopology.DLQ_SINK);
    }
}
