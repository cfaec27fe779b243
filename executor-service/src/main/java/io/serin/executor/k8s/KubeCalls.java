package io.serin.executor.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.serin.events.FailureReason;
import io.serin.executor.execute.ExecutionFailure;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs one Kubernetes API call with the executor's error policy: conflicts (someone else edited
 * the object) and transient errors are retried on fresh state with jittered backoff until a
 * deadline; permanent errors (404, 403, 422) fail at once with the API's reason.
 */
final class KubeCalls {

    private static final Logger LOG = Logger.getLogger(KubeCalls.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Duration deadline;

    KubeCalls(Duration deadline) {
        this.deadline = deadline;
    }

    <T> T call(String what, Supplier<T> call) {
        Instant giveUp = Instant.now().plus(deadline);
        long backoff = FIRST_BACKOFF.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientTimeoutException e) {
                throw e; // a wait that ran out is the caller's verdict to make, not an API error
            } catch (KubernetesClientException e) {
                String apiReason = describe(e);
                if (!transient_(e.getCode())) {
                    throw new ExecutionFailure(reasonOf(e.getCode()), "failed to " + what + ": " + apiReason, e);
                }
                if (Instant.now().plusMillis(backoff).isAfter(giveUp)) {
                    throw new ExecutionFailure(FailureReason.TIMEOUT, "failed to " + what + " within " + deadline
                            + " (" + attempt + " attempts): " + apiReason, e);
                }
                LOG.debugf("retrying %s after attempt %d: %s", what, attempt, apiReason);
                sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    /** 409 Conflict, 429 and 5xx are worth another try; so is a failure without HTTP status (I/O). */
    private static boolean transient_(int code) {
        return code == 0 || code == 409 || code == 429 || code >= 500;
    }

    private static FailureReason reasonOf(int code) {
        return switch (code) {
            case 404 -> FailureReason.NOT_FOUND;
            case 401, 403 -> FailureReason.FORBIDDEN;
            case 400, 422 -> FailureReason.INVALID;
            default -> FailureReason.INTERNAL;
        };
    }

    private static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getReason() + ": " + e.getStatus().getMessage();
        }
        return (e.getCode() == 0 ? "" : e.getCode() + " ") + e.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ExecutionFailure(FailureReason.INTERNAL, "interrupted while retrying");
        }
    }
}
