package io.serin.executor.execute;

import io.serin.events.FailureReason;

/**
 * A command could not be applied. The message names the object and the API's own reason
 * ("failed to scale payments/payment-gateway-canary to 2: 409 Conflict").
 */
public class ExecutionFailure extends RuntimeException {

    private final FailureReason reason;

    public ExecutionFailure(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ExecutionFailure(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
