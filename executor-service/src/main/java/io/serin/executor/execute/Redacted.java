package io.serin.executor.execute;

import io.serin.events.policy.Redaction;

/**
 * Exceptions as they may be shown: every URL in their messages through {@link Redaction#text}. A
 * client's exception may quote the URL it called, and a gate's URL may carry a token.
 */
public final class Redacted {

    private Redacted() {
    }

    /** {@code SimpleName: message}, redacted. */
    public static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redaction.text(e.getMessage()));
    }

    /**
     * A copy of {@code e} and its causes to log: same classes named, same stack traces, messages
     * redacted. The copy is not thrown, only shown.
     */
    public static Throwable copy(Throwable e) {
        return copy(e, 0);
    }

    private static Throwable copy(Throwable e, int depth) {
        Throwable copy = new Shown(e.getClass().getName() + (e.getMessage() == null ? ""
                : ": " + Redaction.text(e.getMessage())));
        copy.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e && depth < 16) {
            copy.initCause(copy(e.getCause(), depth + 1));
        }
        return copy;
    }

    /** Prints as the original's class and redacted message, without a class name of its own. */
    private static final class Shown extends RuntimeException {
        Shown(String text) {
            super(text);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
