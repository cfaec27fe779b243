package io.serin.notifier.notify;

import java.util.Objects;

/**
 * A configured destination: its name (used in routes, requests, the delivery log and dead letters),
 * its platform, how to render for it, where to post and what to do when a previous run may already
 * have posted. The endpoint lives only inside {@code webhook}: {@link #toString()} never shows it.
 */
public record Channel(String name, Platform platform, Renderer renderer, Webhook webhook,
        UncertainDelivery ifUncertain) {

    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(ifUncertain, "ifUncertain");
    }

    /** A channel that re-posts uncertain deliveries (at-least-once). */
    public Channel(String name, Platform platform, Renderer renderer, Webhook webhook) {
        this(name, platform, renderer, webhook, UncertainDelivery.REPOST);
    }

    /** Whether to post an event whose earlier post may or may not have reached the platform. */
    public boolean repostsUncertain() {
        return platform.deduplicates() || ifUncertain == UncertainDelivery.REPOST;
    }

    @Override
    public String toString() {
        return "Channel[" + name + ", " + platform.configName() + "]";
    }
}
