package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Markup;
import io.serin.notifier.notify.Renderer;

import java.util.List;

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): a
 * {@code message} whose single attachment is an Adaptive Card 1.4 (Workflows accept Adaptive Cards
 * only, not the retired connector MessageCard). Teams caps a message at about 28 KB, so text, facts
 * and evidence are cut well below that.
 */
public final class TeamsRenderer implements Renderer {

    static final String CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final int TEXT_MAX = 4000;
    static final int VALUE_MAX = 500;
    static final int FACTS_MAX = 30;

    private static final Markup MD = Markup.TEAMS;

    @Override
    public HttpPayload render(ChatMessage m) {
        ObjectNode message = Json.object().put("type", "message");
        message.put("summary", Limits.cut(m.summary(), 250));
        ObjectNode attachment = message.putArray("attachments").addObject()
                .put("contentType", CARD_CONTENT_TYPE);
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", Limits.cut(MD.escape(m.title()), 300))
                .put("weight", "Bolder").put("size", "Medium").put("wrap", true).put("color", color(m));
        body.addObject().put("type", "TextBlock").put("text", Limits.cut(m.text(), TEXT_MAX)).put("wrap", true);
        if (!m.facts().isEmpty()) {
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            Limits.first(m.facts(), FACTS_MAX, more -> new ChatMessage.Fact("More", more + " more"))
                    .forEach(f -> facts.addObject().put("title", f.label())
                            .put("value", Limits.cut(MD.escape(f.value()), VALUE_MAX)));
        }
        if (!m.evidence().isEmpty()) {
            body.addObject().put("type", "TextBlock").put("text", "Evidence").put("weight", "Bolder")
                    .put("spacing", "Medium");
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            List<ChatMessage.Evidence> evidence = Limits.first(m.evidence(), FACTS_MAX,
                    more -> new ChatMessage.Evidence("…", "", more + " more metrics"));
            evidence.forEach(e -> facts.addObject().put("title", Limits.cut(e.metric() + " " + e.verdict(), 100))
                    .put("value", Limits.cut(MD.escape(e.detail()), VALUE_MAX)));
        }
        body.addObject().put("type", "TextBlock").put("isSubtle", true).put("size", "Small").put("wrap", true)
                .put("text", m.severity().name().toLowerCase() + " · event " + MD.escape(m.event().id()));
        if (!m.links().isEmpty()) {
            ArrayNode actions = card.putArray("actions");
            m.links().forEach(l -> actions.addObject().put("type", "Action.OpenUrl").put("title", l.text())
                    .put("url", l.url().toString()));
        }
        return Json.payload(message);
    }

    private static String color(ChatMessage m) {
        return switch (m.severity()) {
            case INFO -> "Accent";
            case WARN -> "Warning";
            case ERROR -> "Attention";
        };
    }
}
