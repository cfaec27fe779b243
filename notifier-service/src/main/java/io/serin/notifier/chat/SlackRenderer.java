package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Markup;
import io.serin.notifier.notify.Renderer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Slack incoming webhook, Block Kit: a header, the body section, a section of fields, the evidence
 * and a context line. Limits as Slack documents them: header 150 characters, section text 3000,
 * at most 10 fields of 2000, context at most 10 elements, at most 50 blocks; {@code text} is the
 * notification fallback.
 */
public final class SlackRenderer implements Renderer {

    static final int HEADER_MAX = 150;
    static final int TEXT_MAX = 3000;
    static final int FIELDS_MAX = 10;
    static final int FIELD_MAX = 2000;

    private static final Markup MD = Markup.SLACK;

    @Override
    public HttpPayload render(ChatMessage m) {
        ObjectNode body = Json.object();
        body.put("text", Limits.cut(MD.escape(m.summary()), TEXT_MAX));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("emoji", true)
                .put("text", Limits.cut(icon(m) + " " + m.title(), HEADER_MAX));
        section(blocks, m.text());

        List<ChatMessage.Fact> facts = Limits.first(m.facts(), FIELDS_MAX,
                more -> new ChatMessage.Fact("More", more + " more"));
        if (!facts.isEmpty()) {
            ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
            facts.forEach(f -> fields.addObject().put("type", "mrkdwn").put("text",
                    Limits.cut(MD.bold(f.label()) + "\n" + MD.escape(f.value()), FIELD_MAX)));
        }
        if (!m.evidence().isEmpty()) {
            section(blocks, MD.bold("Evidence") + "\n" + m.evidence().stream()
                    .map(e -> "• " + MD.bold(e.metric()) + " " + e.verdict() + ": " + MD.escape(e.detail()))
                    .collect(Collectors.joining("\n")));
        }
        String links = m.links().stream().map(l -> MD.link(l.text(), l.url())).collect(Collectors.joining(" · "));
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        context.addObject().put("type", "mrkdwn").put("text", Limits.cut((links.isEmpty() ? "" : links + " · ")
                + m.severity().name().toLowerCase() + " · event " + MD.code(m.event().id()), TEXT_MAX));
        return Json.payload(body);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", Limits.cut(mrkdwn, TEXT_MAX));
    }

    private static String icon(ChatMessage m) {
        return switch (m.severity()) {
            case INFO -> ":large_blue_circle:";
            case WARN -> ":warning:";
            case ERROR -> ":rotating_light:";
        };
    }
}
