package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;
import io.serin.events.Severity;

import java.net.URI;
import java.util.List;

/**
 * One release event as people read it, composed for one platform's markup. Renderers lay it out in
 * the platform's own structure (blocks, cards, embeds) and cut it to the platform's limits.
 *
 * @param title    plain text, no markup
 * @param text     the body, in the platform's markup (from the event type's template)
 * @param summary  one plain line (notification previews, fallbacks, the generic webhook)
 * @param facts    label/value pairs, values plain text
 * @param evidence one line per metric behind a verdict, plain text; empty when there is no verdict
 */
public record ChatMessage(CloudEvent<? extends ReleaseEvent> event, Severity severity, String title, String text,
        String summary, List<Fact> facts, List<Evidence> evidence, List<Link> links) {

    public record Fact(String label, String value) {
    }

    /** @param verdict SUCCESSFUL, FAILED, INCONCLUSIVE or ERROR of this metric */
    public record Evidence(String metric, String verdict, String detail) {
    }

    public record Link(String text, URI url) {
    }
}
