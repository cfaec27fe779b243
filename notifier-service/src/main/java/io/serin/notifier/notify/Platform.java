package io.serin.notifier.notify;

import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of channel the notifier can post to, by their configuration name, and whether a repeat
 * of the same delivery is dropped at the far end.
 */
public enum Platform {
    // incoming webhooks of Slack, Teams Workflows and Discord take no idempotency key
    SLACK("slack", Markup.SLACK, false),
    TEAMS("teams", Markup.TEAMS, false),
    DISCORD("discord", Markup.DISCORD, false),
    // spaces.messages.create: an existing requestId returns the message it created instead of a new one
    GOOGLE_CHAT("google-chat", Markup.HTML, true),
    // the CloudEvent id: CloudEvents lets a consumer treat events with the same source and id as duplicates
    WEBHOOK("webhook", Markup.PLAIN, true);

    private final String configName;
    private final Markup markup;
    private final boolean deduplicates;

    Platform(String configName, Markup markup, boolean deduplicates) {
        this.configName = configName;
        this.markup = markup;
        this.deduplicates = deduplicates;
    }

    /** Whether posting the same delivery twice leaves one message (given the request key of the renderer). */
    public boolean deduplicates() {
        return deduplicates;
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
