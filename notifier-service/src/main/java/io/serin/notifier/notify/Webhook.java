package io.serin.notifier.notify;

import java.io.IOException;

/**
 * The port to the far end that receives notifications. Implementations must keep the endpoint out
 * of every exception message they throw: webhook URLs carry secrets.
 */
public interface Webhook {

    /**
     * Posts one payload and says how the far end answered.
     *
     * @throws IOException when no answer came (refused, unreachable, timed out)
     */
    WebhookAnswer post(HttpPayload payload) throws IOException, InterruptedException;
}
