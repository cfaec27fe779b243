package io.serin.events.policy;

import java.lang.reflect.Method;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A log filter that lets every record through with each URL in its message shown by
 * {@link Redaction#text(String)}: a service's own lines and those of its libraries alike. Each
 * service registers one, wrapped, as its Quarkus logging filter ({@code quarkus.log.console.filter}).
 * Stack traces are left as they are: an exception's message is not rewritten.
 */
public final class RedactingLogFilter implements Filter {

    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (!mayHoldUrl(message, parameters)) {
            return true;
        }
        String formatted = format(record);
        String shown = Redaction.text(formatted);
        if (!shown.equals(formatted)) {
            record.setParameters(null);
            record.setMessage(shown);
        }
        return true;
    }

    private static boolean mayHoldUrl(String message, Object[] parameters) {
        if (message != null && message.contains("://")) {
            return true;
        }
        if (parameters != null) {
            for (Object p : parameters) {
                if (p != null && String.valueOf(p).contains("://")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The message as the handler would print it: JBoss LogManager's records format themselves (printf or MessageFormat). */
    private static String format(LogRecord record) {
        try {
            Method formatted = record.getClass().getMethod("getFormattedMessage");
            return String.valueOf(formatted.invoke(record));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return FORMATTER.formatMessage(record);
        }
    }
}
