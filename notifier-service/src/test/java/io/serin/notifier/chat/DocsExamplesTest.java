package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseEvent;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.MessageComposer;
import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.ReleaseContext;
import io.serin.notifier.testing.Samples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples in docs/notifications.md are exactly what the renderers produce for the sample
 * event. After changing a template or renderer, regenerate them with
 * {@code mvn -pl notifier-service test -Dtest=DocsExamplesTest -Dserin.docs.write=true}.
 */
class DocsExamplesTest {

    static final Path DOC = Path.of("..", "docs", "notifications.md");
    static final String SECRET = "example-secret";
    private static final Pattern EXAMPLE = Pattern.compile(
            "(<!-- example:([a-z-]+) -->\\n```(?:json|http)\\n)(.*?)(\\n```)", Pattern.DOTALL);

    @Test
    void documentsTheExactMessageEveryPlatformGetsForTheSampleEvent() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = EXAMPLE.matcher(doc);
        StringBuilder updated = new StringBuilder();
        List<String> seen = new java.util.ArrayList<>();
        while (m.find()) {
            String platform = m.group(2);
            seen.add(platform);
            String expected = example(Platform.fromConfig(platform));
            if (Boolean.getBoolean("serin.docs.write")) {
                m.appendReplacement(updated, Matcher.quoteReplacement(m.group(1) + expected + m.group(4)));
            } else {
                assertThat(m.group(3)).as("example:" + platform + " in " + DOC + " (regenerate: see javadoc)")
                        .isEqualTo(expected);
            }
        }
        if (Boolean.getBoolean("serin.docs.write")) {
            m.appendTail(updated);
            Files.writeString(DOC, updated.toString());
        }
        assertThat(seen).containsExactlyInAnyOrder("slack", "teams", "discord", "google-chat", "webhook");
    }

    /** The sample: release rel-42's analysis fails, with the context the notifier learnt before. */
    static String example(Platform platform) throws IOException {
        List<ReleaseEvent> log = Samples.failingCanary("rel-42", null);
        ReleaseContext context = null;
        for (ReleaseEvent event : log.subList(0, 5)) {
            context = ReleaseContext.after(context, event);
        }
        MessageComposer composer = new MessageComposer(Optional.of(URI.create("https://grafana.example.com/d/serin")));
        HttpPayload payload = Renderers.of(platform, Optional.of(SECRET))
                .render(composer.compose(Samples.envelope(log.get(4)), context, platform));
        JsonNode body = EventCodec.mapper().readTree(payload.body());
        String pretty = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body);
        if (platform != Platform.WEBHOOK) {
            return pretty;
        }
        // the generic webhook's body is signed byte for byte, so show the compact body it really sends
        StringBuilder http = new StringBuilder("POST /your/endpoint HTTP/1.1\nContent-Type: " + payload.contentType());
        payload.headers().forEach((name, value) -> http.append('\n').append(name).append(": ").append(value));
        return http.append("\n\n").append(new String(payload.body(), StandardCharsets.UTF_8)).toString();
    }
}
