package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.Analyses;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.analyzer.analysis.StartChecks;
import io.serin.events.AnalysisCommand;
import io.serin.events.AnalysisVerdict;
import io.serin.events.CloudEvent;
import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.MetricHistory;
import io.serin.events.MetricSample;
import io.serin.events.MetricSampleBatch;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem;
import io.serin.events.Topics;
import io.serin.events.VerdictMessage;
import io.serin.kafka.DeadLetter;
import io.serin.events.Verdict;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Thin adapter between the topics, the stores and {@link Analyses}. */
final class AnalyzerProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = Logger.getLogger(AnalyzerProcessor.class);
    private static final EventCodec<AnalysisCommand> COMMANDS = EventCodec.of(AnalysisCommand.class);
    private static final EventCodec<SampleMessage> SAMPLES = EventCodec.of(SampleMessage.class);
    private static final EventCodec<VerdictMessage> VERDICTS = EventCodec.of(VerdictMessage.class);

    private final AnalyzerTopology.Settings settings;
    private final SampleDecoder decoder = new SampleDecoder();
    private ProcessorContext<byte[], byte[]> context;
    private LiveAnalyses live;

    AnalyzerProcessor(AnalyzerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        Analyses analyses = settings.analyses();
        this.live = new LiveAnalyses(context.getStateStore(AnalyzerTopology.STORE),
                context.getStateStore(AnalyzerTopology.PROGRESS_STORE),
                context.getStateStore(AnalyzerTopology.SERIES_STORE), analyses::dueAt, settings.cachedAnalyses());
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, ts -> decideDue());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            if (Topics.METRIC_SAMPLES.equals(topic)) {
                SampleMessage fast = decoder.decode(record.value());
                SampleMessage message = fast != null ? fast : SAMPLES.decode(record.value()).data();
                if (message instanceof MetricSample sample) {
                    String missing = missing(sample);
                    if (missing != null) {
                        deadLetter(record, "metric sample without " + missing);
                        return;
                    }
                    onSample(sample);
                } else if (message instanceof MetricSampleBatch batch) {
                    String missing = missing(batch);
                    if (missing != null) {
                        deadLetter(record, "metric sample batch " + missing);
                        return;
                    }
                    onBatch(batch);
                } else if (message instanceof SourceProblem problem) {
                    onProblem(problem);
                } else if (message instanceof MetricHistory history) {
                    String problem = history.problem();
                    if (problem != null) {
                        deadLetter(record, problem);
                        return;
                    }
                    onHistory(history);
                } else {
                    throw new IllegalStateException("unhandled sample message " + message.getClass());
                }
            } else if (Topics.ANALYSIS_COMMANDS.equals(topic)) {
                AnalysisCommand command = COMMANDS.decode(record.value()).data();
                if (command instanceof AnalysisCommand.Start start) {
                    String problem = StartChecks.problem(start);
                    if (problem != null) {
                        deadLetter(record, "analysis start " + problem);
                        refuse(start, problem);
                        return;
                    }
                    try {
                        onStart(start);
                    } catch (KafkaException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "[%s] analysis %s cannot start", start.releaseId(), start.analysisId());
                        deadLetter(record, "analysis start cannot be run (" + describe(e) + ")");
                        refuse(start, describe(e));
                    }
                } else {
                    throw new IllegalStateException("unhandled analysis command " + command.getClass());
                }
            } else {
                throw new IllegalStateException("unexpected source topic " + topic);
            }
        } catch (InvalidMessageException e) {
            deadLetter(record, e.getMessage());
        } catch (KafkaException e) {
            throw e; // the broker or a store failed: the task restarts and reads the record again
        } catch (RuntimeException e) {
            // a defect or values no check foresaw: this record is set aside, the other analyses go on
            String reason = "cannot process (" + describe(e) + ")";
            LOG.errorf(e, "%s", reason);
            deadLetter(record, reason);
        }
    }

    /**
     * Answers a start command that cannot be run with an ERROR verdict, when it names its analysis
     * and release, so that the planner hears why at once instead of waiting for its deadline.
     */
    private void refuse(AnalysisCommand.Start start, String problem) {
        if (blank(start.analysisId()) || blank(start.releaseId())) {
            return;
        }
        Instant now = settings.clock().instant();
        AnalysisVerdict verdict = new AnalysisVerdict(start.analysisId(), start.releaseId(), Verdict.ERROR,
                "the analysis cannot run: " + problem, now, List.of());
        forwardVerdict(start.releaseId(), start.analysisId(), verdict);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String describe(Throwable e) {
        return DeadLetter.describe(e);
    }

    /** What a sample lacks to be counted anywhere ({@code releaseId}, {@code variant}, ...), or null. */
    private static String missing(MetricSample sample) {
        if (sample.releaseId() == null || sample.releaseId().isBlank()) {
            return "releaseId";
        }
        if (sample.variant() == null) {
            return "variant";
        }
        if (sample.metric() == null || sample.metric().isBlank()) {
            return "metric";
        }
        return sample.time() == null ? "time" : null;
    }

    /**
     * What keeps a batch from being taken whole ({@code without releaseId}, {@code entry 3 without
     * metric}, ...), or null. Checked before any entry is folded, so a batch is never half applied.
     */
    private static String missing(MetricSampleBatch batch) {
        if (batch.releaseId() == null || batch.releaseId().isBlank()) {
            return "without releaseId";
        }
        if (batch.time() == null) {
            return "without time";
        }
        if (batch.samples() == null || batch.samples().isEmpty()) {
            return "without samples";
        }
        for (int i = 0; i < batch.samples().size(); i++) {
            if (batch.samples().get(i) == null) {
                return "entry " + i + " is null";
            }
            String missing = missing(batch.sample(i));
            if (missing != null) {
                return "entry " + i + " without " + missing;
            }
        }
        return null;
    }

    private void onStart(AnalysisCommand.Start start) {
        AnalysisState previous = live.get(start.releaseId());
        if (previous != null && previous.analysisId().equals(start.analysisId())) {
            return;
        }
        if (previous != null) {
            LOG.infof("[%s] analysis %s replaces unfinished %s", start.releaseId(), start.analysisId(),
                    previous.analysisId());
            live.drop(previous);
        }
        AnalysisState state = settings.analyses().start(start);
        AnalysisVerdict verdict = settings.analyses().early(state, settings.clock().instant());
        if (verdict == null) {
            live.save(null, state);
        } else {
            publish(state, verdict, false);
        }
    }

    private void onSample(MetricSample sample) {
        AnalysisState state = live.get(sample.releaseId());
        if (state == null) {
            settings.metrics().ignored();
            return;
        }
        settle(state, fold(state, sample));
    }

    /**
     * Folds every entry, then writes and decides once: each series the batch touched is written once, and
     * a decision taken at the end of a batch is as valid as one taken after any of its samples.
     */
    private void onBatch(MetricSampleBatch batch) {
        AnalysisState state = live.get(batch.releaseId());
        if (state == null) {
            settings.metrics().ignored(batch.samples().size());
            return;
        }
        AnalysisState next = state;
        for (int i = 0; i < batch.samples().size(); i++) {
            next = fold(next, batch.sample(i));
        }
        settle(state, next);
    }

    /** One sample folded in, and counted by what became of it. */
    private AnalysisState fold(AnalysisState state, MetricSample sample) {
        AnalysisState next = settings.analyses().add(state, sample);
        if (next == state) {
            settings.metrics().ignored();
        } else if (next.late() > state.late()) {
            settings.metrics().late();
            if (state.late() == 0) {
                LOG.infof("[%s] analysis %s: a sample of %s/%s at %s came after its bucket was folded (grace %s): "
                        + "it counts for the window's totals, not for the comparing judges; later ones are "
                        + "counted in serin_analyzer_samples_total{outcome=\"late\"}", state.releaseId(),
                        state.analysisId(), sample.variant().label(), sample.metric(), sample.time(),
                        settings.analyses().grace());
            }
        } else {
            settings.metrics().counted();
        }
        return next;
    }

    /** Decides early if the head changed (the checks live there), else writes what changed. */
    private void settle(AnalysisState state, AnalysisState next) {
        if (next == state) {
            return;
        }
        AnalysisVerdict verdict = next.head() == state.head() ? null
                : settings.analyses().early(next, settings.clock().instant());
        if (verdict == null) {
            live.save(state, next);
        } else {
            publish(next, verdict, true);
        }
    }

    private void onProblem(SourceProblem problem) {
        AnalysisState state = problem.releaseId() == null ? null : live.get(problem.releaseId());
        if (state != null) {
            AnalysisState updated = settings.analyses().problem(state, problem);
            if (updated != state) {
                live.save(state, updated);
            }
        }
    }

    private void onHistory(MetricHistory history) {
        AnalysisState state = live.get(history.releaseId());
        if (state == null) {
            LOG.infof("[%s] history of %s ignored: no analysis of the release is running", history.releaseId(),
                    history.variant().label());
            return;
        }
        AnalysisState updated = settings.analyses().history(state, history);
        if (updated != state) {
            live.save(state, updated);
        }
        LOG.infof("[%s] analysis %s: history of %s, %d steps of %s from %s (%s): %s", history.releaseId(),
                state.analysisId(), history.variant().label(), history.series().get(0).values().size(),
                history.step(), history.start(), totals(history),
                updated != state ? "learnt from" : "no check compares with it");
    }

    /** The history's counters in total, for the log: {@code errors 26900, requests 2690000}. */
    private static String totals(MetricHistory history) {
        StringBuilder out = new StringBuilder();
        for (MetricHistory.Series series : history.series()) {
            if (series.le() != null) {
                continue;
            }
            double sum = 0;
            for (Double v : series.values()) {
                sum += v == null ? 0 : v;
            }
            out.append(out.length() == 0 ? "" : ", ").append(series.metric()).append(' ').append(Math.round(sum));
        }
        return out.toString();
    }

    private void decideDue() {
        Instant now = settings.clock().instant();
        for (String releaseId : live.dueBy(now)) {
            AnalysisState state = live.get(releaseId);
            if (state == null) {
                continue;
            }
            AnalysisVerdict verdict;
            try {
                verdict = settings.analyses().decide(state, now);
            } catch (KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                // deciding fails the same way at every tick: end the analysis with the reason instead
                LOG.errorf(e, "[%s] analysis %s cannot be decided", releaseId, state.analysisId());
                verdict = new AnalysisVerdict(state.analysisId(), releaseId, Verdict.ERROR,
                        "the analysis could not be decided (" + describe(e) + ")", now, List.of());
            }
            publish(state, verdict, true);
        }
    }

    private void publish(AnalysisState state, AnalysisVerdict verdict, boolean stored) {
        LOG.infof("[%s] analysis %s: %s (%s)%s", state.releaseId(), state.analysisId(), verdict.verdict(),
                verdict.reason(), state.late() == 0 ? "" : "; " + state.late() + " samples came too late for "
                        + "their bucket");
        forwardVerdict(state.releaseId(), state.analysisId(), verdict);
        if (stored) {
            live.drop(state);
        }
    }

    private void forwardVerdict(String releaseId, String analysisId, AnalysisVerdict verdict) {
        Instant at = verdict.decidedAt();
        byte[] value = VERDICTS.encode(CloudEvent.withId(analysisId, settings.source(), releaseId, at, verdict));
        context.forward(new Record<>(releaseId.getBytes(StandardCharsets.UTF_8), value, at.toEpochMilli(),
                new RecordHeaders()), AnalyzerTopology.VERDICTS_SINK);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        String origin = context.recordMetadata().map(m -> DeadLetter.origin(m.topic(), m.partition(), m.offset()))
                .orElse("unknown");
        LOG.warnf("[%s] dead-lettering record %s: %s",
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), origin, reason);
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetter.headers(reason, origin)), AnalyzerTopology.DLQ_SINK);
    }
}
