package io.serin.notifier.notify;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of channel the notifier can post to, by their configuration name. */
public enum Platform {
    SLACK("slack", Markup.SLACK),
    TEAMS("teams", Markup.TEAMS),
    DISCORD("discord", Markup.DISCORD),
    GOOGLE_CHAT("google-chat", Markup.HTML),
    WEBHOOK("webhook", Markup.PLAIN);

    private final String configName;
    private final Markup markup;

    Platform(String configName, Markup markup) {
        this.configName = configName;
        this.markup = markup;
    }

    public String configName() {
        return configName;
    }

    public Markup markup() {
        return markup;
    }

    public static Platform fromConfig(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown channel type '" + name
                        + "'; known: " + Arrays.stream(values()).map(Platform::configName).toList()));
    }
}
