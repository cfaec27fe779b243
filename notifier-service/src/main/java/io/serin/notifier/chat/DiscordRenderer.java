package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Markup;
import io.serin.notifier.notify.Renderer;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Discord execute-webhook with one embed. Limits as Discord documents them: title 256, description
 * 4096, at most 25 fields with names of 256 and values of 1024, footer 2048, and 6000 characters
 * across all of an embed's text; evidence fields go first when the total must shrink. Mentions are
 * switched off ({@code allowed_mentions.parse = []}) so no event text can ping anyone.
 */
public final class DiscordRenderer implements Renderer {

    static final int TITLE_MAX = 256;
    static final int DESCRIPTION_MAX = 4096;
    static final int FIELDS_MAX = 25;
    static final int FIELD_NAME_MAX = 256;
    static final int FIELD_VALUE_MAX = 1024;
    static final int TOTAL_MAX = 6000;

    private static final Markup MD = Markup.DISCORD;

    private record Field(String name, String value, boolean inline) {
    }

    @Override
    public HttpPayload render(ChatMessage m) {
        ObjectNode body = Json.object().put("username", "Serin");
        body.putObject("allowed_mentions").putArray("parse");
        ObjectNode embed = body.putArray("embeds").addObject();
        String title = Limits.cut(m.title(), TITLE_MAX);
        String footer = m.severity().name().toLowerCase() + " · event " + m.event().id();
        List<Field> fields = new ArrayList<>();
        m.facts().forEach(f -> fields.add(new Field(Limits.cut(f.label(), FIELD_NAME_MAX),
                Limits.cut(MD.escape(f.value()), FIELD_VALUE_MAX), true)));
        m.evidence().forEach(e -> fields.add(new Field(Limits.cut(e.metric() + " · " + e.verdict(), FIELD_NAME_MAX),
                Limits.cut(MD.escape(e.detail()), FIELD_VALUE_MAX), false)));
        List<Field> kept = new ArrayList<>(Limits.first(fields, FIELDS_MAX,
                more -> new Field("…", more + " more", false)));
        int fixed = title.length() + footer.length();
        while (!kept.isEmpty() && fixed + fieldsLength(kept) > TOTAL_MAX - 100) {
            kept.remove(kept.size() - 1);
        }
        String description = Limits.cut(m.text(), Math.min(DESCRIPTION_MAX, TOTAL_MAX - fixed - fieldsLength(kept)));

        embed.put("title", title).put("description", description).put("color", color(m));
        m.links().stream().findFirst().ifPresent(l -> embed.put("url", l.url().toString()));
        if (m.event().data().occurredAt() != null) {
            embed.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(m.event().data().occurredAt()));
        }
        ArrayNode fieldArray = embed.putArray("fields");
        kept.forEach(f -> fieldArray.addObject().put("name", f.name()).put("value", f.value()).put("inline", f.inline()));
        embed.putObject("footer").put("text", Limits.cut(footer, 2048));
        return Json.payload(body);
    }

    private static int fieldsLength(List<Field> fields) {
        return fields.stream().mapToInt(f -> f.name().length() + f.value().length()).sum();
    }

    private static int color(ChatMessage m) {
        return switch (m.severity()) {
            case INFO -> 0x2F81F7;
            case WARN -> 0xD29922;
            case ERROR -> 0xCF222E;
        };
    }
}
