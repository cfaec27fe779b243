package io.serin.events;

import java.util.List;

/**
 * A record that is not a readable Serin message. When the envelope was readable but the payload
 * was not, {@link #type()} and {@link #subject()} say what it claimed to be and
 * {@link #violations()} say what is wrong with it, field by field.
 */
public class InvalidMessageException extends RuntimeException {

    private final String type;
    private final String subject;
    private final List<Violation> violations;

    public InvalidMessageException(String message, Throwable cause) {
        this(message, null, null, List.of(), cause);
    }

    public InvalidMessageException(String message, String type, String subject, List<Violation> violations,
            Throwable cause) {
        super(message, cause);
        this.type = type;
        this.subject = subject;
        this.violations = List.copyOf(violations);
    }

    /** The CloudEvent type the record claimed, or null if the envelope itself was unreadable. */
    public String type() {
        return type;
    }

    /** The CloudEvent subject (release id) the record claimed, or null. */
    public String subject() {
        return subject;
    }

    /** Field-level problems of the payload; empty if the envelope itself was unreadable. */
    public List<Violation> violations() {
        return violations;
    }

    /** True if the envelope was readable and only the payload was not. */
    public boolean payloadInvalid() {
        return type != null && !violations.isEmpty();
    }
}
