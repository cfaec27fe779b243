package io.serin.notifier.notify;

/** Turns a composed chat message into the request body one platform documents. */
@FunctionalInterface
public interface Renderer {

    HttpPayload render(ChatMessage message);
}
