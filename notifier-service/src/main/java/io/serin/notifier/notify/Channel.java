package io.serin.notifier.notify;

import java.util.Objects;

/**
 * A configured destination: its name (used in routes, requests, the delivery log and dead letters),
 * its platform, how to render for it and where to post. The endpoint lives only inside
 * {@code webhook}: {@link #toString()} never shows it.
 */
public record Channel(String name, Platform platform, Renderer renderer, Webhook webhook) {

    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(webhook, "webhook");
    }

    @Override
    public String toString() {
        return "Channel[" + name + ", " + platform.configName() + "]";
    }
}
