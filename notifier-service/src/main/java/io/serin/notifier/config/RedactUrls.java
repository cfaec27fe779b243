package io.serin.notifier.config;

import io.quarkus.logging.LoggingFilter;
import io.serin.events.policy.RedactingLogFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/** Every log line shows URLs without userinfo or query (quarkus.log.console.filter; docs/security.md). */
@LoggingFilter(name = "redact-urls")
public final class RedactUrls implements Filter {

    private final Filter redacting = new RedactingLogFilter();

    @Override
    public boolean isLoggable(LogRecord record) {
        return redacting.isLoggable(record);
    }
}
