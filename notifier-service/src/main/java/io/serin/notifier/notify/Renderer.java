package io.serin.notifier.notify;

/** Turns a composed chat message into the request body one platform documents. */
@FunctionalInterface
public interface Renderer {

    HttpPayload render(ChatMessage message);

    /**
     * The same, carrying {@code deliveryKey} (stable for one event on one channel) where the
     * platform accepts an idempotency key, so that posting it again leaves one message.
     */
    default HttpPayload render(ChatMessage message, String deliveryKey) {
        return render(message);
    }
}
