package io.serin.planner.messaging;

import io.serin.planner.plan.Admissions;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keyed by target, so every request for one workload is decided here in order: one active release
 * per target, the others queued. Its outcomes go back keyed by release id to the release processor.
 */
final class AdmissionProcessor implements Processor<String, AdmissionMessage, String, Admissions.Outcome> {

    private static final Logger LOG = Logger.getLogger(AdmissionProcessor.class);

    private final Admissions admissions;
    private ProcessorContext<String, Admissions.Outcome> context;
    private KeyValueStore<String, Admissions.TargetQueue> store;

    AdmissionProcessor(Admissions admissions) {
        this.admissions = admissions;
    }

    @Override
    public void init(ProcessorContext<String, Admissions.Outcome> context) {
        this.context = context;
        this.store = context.getStateStore(PlannerTopology.ADMISSIONS);
    }

    @Override
    public void process(Record<String, AdmissionMessage> record) {
        AdmissionMessage message = record.value();
        if (record.key() == null || message == null) {
            LOG.warnf("ignoring an admission record without target or body: %s", record);
            return;
        }
        Admissions.TargetQueue state = store.get(record.key());
        Admissions.Result result = message.request() != null ? admissions.request(message.request(), state)
                : admissions.released(message.released(), state);
        if (result.state() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), result.state());
        }
        for (Admissions.Outcome outcome : result.outcomes()) {
            LOG.infof("[%s] %s on %s", outcome.releaseId(), outcome.kind(), record.key());
            context.forward(new Record<>(outcome.releaseId(), outcome, record.timestamp()));
        }
    }
}
