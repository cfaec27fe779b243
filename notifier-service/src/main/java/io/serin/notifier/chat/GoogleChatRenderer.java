package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.Markup;
import io.serin.notifier.notify.Renderer;

/**
 * Google Chat incoming webhook with one card (cardsV2): header, the body as a text paragraph, facts
 * and evidence as decorated text, links as buttons. Google Chat ignores widgets beyond 100 per card
 * and caps a message at 32,000 bytes, so text is cut and widgets are counted.
 *
 * <p>Each delivery carries {@value #REQUEST_ID} on the URL: spaces.messages.create (which the
 * webhook URL is) returns the message already created with an existing request id instead of
 * creating another, so a post repeated after a crash leaves one message.
 */
public final class GoogleChatRenderer implements Renderer {

    static final int WIDGETS_MAX = 100;
    static final int TEXT_MAX = 4000;
    static final int VALUE_MAX = 500;
    static final String REQUEST_ID = "requestId";

    private static final Markup MD = Markup.HTML;

    @Override
    public HttpPayload render(ChatMessage m, String deliveryKey) {
        return render(m).withQueryParameter(REQUEST_ID, deliveryKey);
    }

    @Override
    public HttpPayload render(ChatMessage m) {
        ObjectNode message = Json.object();
        message.put("fallbackText", Limits.cut(m.summary(), TEXT_MAX));
        ObjectNode card = message.putArray("cardsV2").addObject()
                .put("cardId", "serin-" + m.event().id())
                .putObject("card");
        card.putObject("header").put("title", Limits.cut(m.title(), 200))
                .put("subtitle", m.severity().name().toLowerCase() + " · release " + m.event().data().releaseId());
        ArrayNode sections = card.putArray("sections");
        int[] widgets = {0};
        ArrayNode main = section(sections, null);
        add(main, widgets).putObject("textParagraph").put("text", Limits.cut(m.text(), TEXT_MAX));
        if (!m.facts().isEmpty()) {
            ArrayNode facts = section(sections, "Details");
            m.facts().forEach(f -> {
                if (widgets[0] < WIDGETS_MAX - 2) {
                    add(facts, widgets).putObject("decoratedText").put("topLabel", f.label())
                            .put("text", Limits.cut(MD.escape(f.value()), VALUE_MAX)).put("wrapText", true);
                }
            });
        }
        if (!m.evidence().isEmpty()) {
            ObjectNode evidenceSection = sections.addObject().put("header", "Evidence").put("collapsible", true)
                    .put("uncollapsibleWidgetsCount", 3);
            ArrayNode evidence = evidenceSection.putArray("widgets");
            m.evidence().forEach(e -> {
                if (widgets[0] < WIDGETS_MAX - 1) {
                    add(evidence, widgets).putObject("decoratedText").put("topLabel", e.metric() + " · " + e.verdict())
                            .put("text", Limits.cut(MD.escape(e.detail()), VALUE_MAX)).put("wrapText", true);
                }
            });
        }
        if (!m.links().isEmpty()) {
            ArrayNode buttons = add(section(sections, null), widgets).putObject("buttonList").putArray("buttons");
            m.links().forEach(l -> buttons.addObject().put("text", l.text()).putObject("onClick")
                    .putObject("openLink").put("url", l.url().toString()));
        }
        return Json.payload(message);
    }

    private static ArrayNode section(ArrayNode sections, String header) {
        ObjectNode section = sections.addObject();
        if (header != null) {
            section.put("header", header);
        }
        return section.putArray("widgets");
    }

    private static ObjectNode add(ArrayNode widgets, int[] count) {
        count[0]++;
        return widgets.addObject();
    }
}
