package io.serin.planner.messaging;

import io.serin.events.AnalysisCommand;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.InvalidMessageException;
import io.serin.events.MessageTypes;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseRequested;
import io.serin.events.Topics;
import io.serin.events.VerdictMessage;
import io.serin.events.AnalysisVerdict;
import io.serin.planner.plan.Admissions;
import io.serin.planner.plan.Decision;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.plan.Timer;
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
import java.nio.charset.StandardCharsets;
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
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Timer> entry : due) {
            timers.delete(entry.key);
            Timer timer = entry.value;
            if (timer.kind() == Timer.Kind.EXPIRE) {
                expire(timer.releaseId());
            } else {
                apply(timer.releaseId(), planner.onTimer(timer, store.get(timer.releaseId()), now), now);
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
                    ExecutorResult result = RESULTS.decode(record.value()).data();
                    apply(result.releaseId(), planner.onResult(result, store.get(result.releaseId()), now), now);
                }
                case Topics.ANALYSIS_VERDICTS -> {
                    AnalysisVerdict verdict = (AnalysisVerdict) VERDICTS.decode(record.value()).data();
                    apply(verdict.releaseId(), planner.onVerdict(verdict, store.get(verdict.releaseId()), now), now);
                }
                case PlannerTopology.ADMITTED_TOPIC -> {
                    Admissions.Outcome outcome = OUTCOMES.deserializer().deserialize(topic, record.value());
                    apply(outcome.releaseId(), planner.onAdmission(outcome, store.get(outcome.releaseId()), now), now);
                }
                default -> throw new IllegalStateException("unexpected source topic " + topic);
            }
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
        }
    }

    private void onRequest(Record<String, byte[]> record, Instant now) {
        try {
            ReleaseRequestMessage message = REQUESTS.decode(record.value()).data();
            if (message instanceof ReleaseActionRequested action) {
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
                if (existing == null && planner.check(request, record.key()).isEmpty()) {
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

    private void apply(String releaseId, Decision decision, Instant now) {
        if (decision.isIgnored()) {
            LOG.infof("[%s] %s", releaseId, decision.ignoredBecause());
            return;
        }
        ReleaseState before = store.get(releaseId);
        store.put(releaseId, decision.state());
        if (decision.admission() != null) {
            toAdmission(decision.admission().target(), AdmissionMessage.request(decision.admission()), now);
        }
        ReleaseState after = decision.state();
        if (after.phase().terminal() && before != null && !before.phase().terminal() && after.request() != null) {
            toAdmission(after.request().target(), AdmissionMessage.released(releaseId), now);
        }
        if (after.phase().terminal() && (before == null || !before.phase().terminal())) {
            Timer expiry = new Timer(releaseId, Timer.Kind.EXPIRE, "retention", now.plus(retention));
            timers.put(expiry.key(), expiry);
        }
        for (Timer timer : decision.timers()) {
            timers.put(timer.key(), timer);
        }
        long ts = now.toEpochMilli();
        for (ExecutorCommand c : decision.commands()) {
            forward(releaseId, COMMANDS.encode(CloudEvent.withId(c.commandId(), source, releaseId, now, c)), ts,
                    PlannerTopology.COMMANDS_SINK);
        }
        for (AnalysisCommand a : decision.analyses()) {
            forward(releaseId, ANALYSES.encode(CloudEvent.withId(a.analysisId(), source, releaseId, now, a)), ts,
                    PlannerTopology.ANALYSIS_SINK);
        }
        for (ReleaseEvent e : decision.events()) {
            LOG.infof("[%s] #%d %s", releaseId, e.sequence(), e.getClass().getSimpleName());
            forward(releaseId, EVENTS.encode(CloudEvent.withId(releaseId + "/" + e.sequence(), source, releaseId,
                    now, e)), ts, PlannerTopology.EVENTS_SINK);
        }
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
        context.forward(new Record<>(Admissions.key(target), ADMISSION_MESSAGES.serializer().serialize(
                PlannerTopology.ADMISSIONS_TOPIC, message), now.toEpochMilli(), new RecordHeaders()),
                PlannerTopology.ADMISSIONS_SINK);
    }

    private void forward(String key, byte[] value, long timestamp, String sink) {
        context.forward(new Record<>(key, value, timestamp, new RecordHeaders()), sink);
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        String origin = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset())
                .orElse("unknown");
        LOG.warnf("[%s] dead-lettering record %s: %s", record.key(), origin, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                PlannerTopology.DLQ_SINK);
    }
}
