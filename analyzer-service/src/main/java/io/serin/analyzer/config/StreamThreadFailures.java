package io.serin.analyzer.config;

import io.serin.kafka.StreamsFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** A failed stream thread is replaced, never left dead (see {@link StreamsFailures}). */
@ApplicationScoped
public class StreamThreadFailures {

    @Produces
    @ApplicationScoped
    StreamsUncaughtExceptionHandler replaceThread() {
        return StreamsFailures.replaceThread();
    }
}
