package io.serin.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * What Kafka Streams does with a failure the processors did not handle themselves. The processors
 * dead-letter every record they cannot process, so what reaches these handlers is the broker or a
 * store failing, never a poison record: the stream thread is replaced and, under exactly-once,
 * reads again from the last commit. A thread that dies never takes the whole service down with it.
 */
public final class StreamsFailures {

    private static final Logger LOG = Logger.getLogger(StreamsFailures.class);

    private StreamsFailures() {
    }

    /**
     * Replaces a failed stream thread. A service exposes it as a CDI bean (the Quarkus Kafka Streams
     * extension sets it before the streams start).
     */
    public static StreamsUncaughtExceptionHandler replaceThread() {
        return exception -> {
            LOG.errorf(exception, "stream thread failed; replacing it (it resumes from the last commit)");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }

    /**
     * Set as {@code processing.exception.handler}: an exception a processor let through. The
     * processors catch all but Kafka's own (a store or the broker failing), which must fail the task
     * so that it restarts from its last commit; anything else is logged with the record's place and
     * skipped, so that one record cannot stop every release.
     */
    public static class Processing implements ProcessingExceptionHandler {
        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record,
                Exception exception) {
            if (exception instanceof KafkaException) {
                return ProcessingHandlerResponse.FAIL;
            }
            LOG.errorf(exception, "skipping record %s/%d/%d (key %s) at %s: a processor let this through",
                    context.topic(), context.partition(), context.offset(), record.key(),
                    context.processorNodeId());
            return ProcessingHandlerResponse.CONTINUE;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /**
     * Set as {@code production.exception.handler}: a record that could not be written. A retriable
     * error (the broker gone for a while) is retried; any other fails the transaction, so that no
     * event is lost from a release's gapless log, and the replaced thread processes the input again.
     */
    public static class Production implements ProductionExceptionHandler {
        @Override
        public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context,
                ProducerRecord<byte[], byte[]> record, Exception exception) {
            if (exception instanceof RetriableException) {
                LOG.warnf("retrying a write to %s: %s", record.topic(), exception.getMessage());
                return ProductionExceptionHandlerResponse.RETRY;
            }
            LOG.errorf(exception, "cannot write to %s (input %s/%d/%d); the transaction is aborted", record.topic(),
                    context.topic(), context.partition(), context.offset());
            return ProductionExceptionHandlerResponse.FAIL;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
