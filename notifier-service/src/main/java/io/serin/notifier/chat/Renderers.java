package io.serin.notifier.chat;

import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.Renderer;

import java.util.Optional;

/** The renderer for each platform: the one place that maps a platform to its payload format. */
public final class Renderers {

    private Renderers() {
    }

    /** @param secret the generic webhook's HMAC secret; other platforms authenticate by their URL */
    public static Renderer of(Platform platform, Optional<String> secret) {
        return switch (platform) {
            case SLACK -> new SlackRenderer();
            case TEAMS -> new TeamsRenderer();
            case DISCORD -> new DiscordRenderer();
            case GOOGLE_CHAT -> new GoogleChatRenderer();
            case WEBHOOK -> new CloudEventsRenderer(secret);
        };
    }
}
