package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.MetricSample;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Topics;
import io.serin.events.VerdictMessage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Thin adapter between the topics, the store and {@link Analyses}. */
final class AnalyzerProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(AnalyzerProcessor.class);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);

    private final Analyses analyses;
    private final Clock clock;
    private final Duration tick;
    private final URI source;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, AnalysisState> store;

    AnalyzerProcessor(Analyses analyses, Clock clock, Duration tick, URI source) {
        this.analyses = analyses;
        this.clock = clock;
        this.tick = tick;
        this.source = source;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(AnalyzerTopology.STORE);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> decideDue());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            if (Topics.ANALYSIS_COMMANDS.equals(topic)) {
                AnalysisCommand command = COMMANDS.decode(record.value()).data();
                if (command instanceof AnalysisCommand.Start start) {
                    AnalysisState previous = store.get(start.releaseId());
                    if (previous != null && !previous.analysisId().equals(start.analysisId())) {
                        LOG.infof("[%s] analysis %s replaces unfinished %s", start.releaseId(), start.analysisId(),
                                previous.analysisId());
                    }
                    if (previous == null || !previous.analysisId().equals(start.analysisId())) {
                        store(analyses.start(start));
                    }
                } else {
                    throw new IllegalStateException("unhandled analysis command " + command.getClass());
                }
            } else if (Topics.METRIC_SAMPLES.equals(topic)) {
                SampleMessage message = SAMPLES.decode(record.value()).data();
                if (message instanceof MetricSample sample) {
                    AnalysisState state = store.get(sample.releaseId());
                    if (state != null) {
                        AnalysisState updated = analyses.add(state, sample);
                        if (updated != state) {
                            store(updated);
                        }
                    }
                } else if (message instanceof SourceProblem problem) {
                    AnalysisState state = store.get(problem.releaseId());
                    if (state != null) {
                        AnalysisState updated = analyses.problem(state, problem);
                        if (updated != state) {
                            store.put(updated.releaseId(), updated);
                        }
                    }
                } else {
                    throw new IllegalStateException("unhandled sample message " + message.getClass());
                }
            } else {
                throw new IllegalStateException("unexpected source topic " + topic);
            }
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
        }
    }

    /** Keeps a running analysis, or publishes its verdict and drops it when it has decided early. */
    private void store(AnalysisState state) {
        AnalysisVerdict verdict = analyses.early(state, clock.instant());
        if (verdict == null) {
            store.put(state.releaseId(), state);
        } else {
            publish(state, verdict);
        }
    }

    private void decideDue() {
        Instant now = clock.instant();
        List<AnalysisState> due = new ArrayList<>();
        try (KeyValueIterator<String, AnalysisState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, AnalysisState> entry = all.next();
                if (analyses.due(entry.value, now)) {
                    due.add(entry.value);
                }
            }
        }
        for (AnalysisState state : due) {
            publish(state, analyses.decide(state, now));
        }
    }

    private void publish(AnalysisState state, AnalysisVerdict verdict) {
        LOG.infof("[%s] analysis %s: %s (%s)", state.releaseId(), state.analysisId(), verdict.verdict(),
                verdict.reason());
        Instant at = verdict.decidedAt();
        byte[] value = VERDICTS.encode(CloudEvent.withId(state.analysisId(), source, state.releaseId(), at, verdict));
        context.forward(new Record<>(state.releaseId(), value, at.toEpochMilli(), new RecordHeaders()),
                AnalyzerTopology.VERDICTS_SINK);
        store.delete(state.releaseId());
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        String origin = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset())
                .orElse("unknown");
        LOG.warnf("[%s] dead-lettering record %s: %s", record.key(), origin, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                AnalyzerTopology.DLQ_SINK);
    }
}
