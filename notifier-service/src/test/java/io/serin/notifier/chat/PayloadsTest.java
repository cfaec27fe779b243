package io.serin.notifier.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serin.events.AnalysisVerdict;
import io.serin.events.EventCodec;
import io.serin.events.MetricEvidence;
import io.serin.events.ReleaseEvent;
import io.serin.events.Variant;
import io.serin.events.Verdict;
import io.serin.notifier.notify.ChatMessage;
import io.serin.notifier.notify.HttpPayload;
import io.serin.notifier.notify.MessageComposer;
import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.ReleaseContext;
import io.serin.notifier.testing.Samples;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    private static final List<ReleaseEvent> LOG = Samples.failingCanary("rel-42", null);
    private static final MessageComposer COMPOSER =
            new MessageComposer(Optional.of(URI.create("https://dash.example.com")));

    @Test
    void slackGetsBlockKitWithHeaderSectionsFieldsAndAFallbackText() {
        JsonNode body = render(Platform.SLACK, PayloadsTest::failedAnalysis);

        assertThat(body.get("text").asText()).startsWith("payments/payment-gateway: analysis FAILED");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks).extracting(b -> b.get("type").asText())
                .containsExactly("header", "section", "section", "section", "context");
        assertThat(blocks.get(0).at("/text/type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).at("/text/text").asText())
                .isEqualTo(":rotating_light: Analysis FAILED: payments/payment-gateway");
        assertThat(blocks.get(1).at("/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(2).get("fields")).hasSize(8)
                .allSatisfy(f -> assertThat(f.get("type").asText()).isEqualTo("mrkdwn"));
        assertThat(blocks.get(2).at("/fields/5/text").asText()).isEqualTo("*Canary weight*\n25%");
        assertThat(blocks.get(3).at("/text/text").asText()).contains(
                "• *error-rate* FAILED: 0.031 &gt; max 0.02 · 62 of 2000 · 48 samples");
        assertThat(blocks.get(4).at("/elements/0/text").asText())
                .startsWith("<https://dash.example.com/releases/rel-42|Release dashboard> · error · event `");
    }

    @Test
    void slackStaysWithinBlockKitLimitsWhateverTheEventSays() {
        JsonNode body = render(Platform.SLACK, PayloadsTest::hugeAnalysis);

        assertThat(body.get("blocks").size()).isLessThanOrEqualTo(50);
        assertThat(body.at("/blocks/0/text/text").asText().length()).isLessThanOrEqualTo(150);
        for (JsonNode block : body.get("blocks")) {
            assertThat(block.at("/text/text").asText().length()).isLessThanOrEqualTo(3000);
            if (block.has("fields")) {
                assertThat(block.get("fields").size()).isLessThanOrEqualTo(10);
                block.get("fields").forEach(f -> assertThat(f.get("text").asText().length()).isLessThanOrEqualTo(2000));
            }
        }
        assertThat(body.at("/blocks/3/text/text").asText()).endsWith("…");
    }

    @Test
    void teamsGetsAnAdaptiveCardMessageAsWorkflowsExpect() {
        JsonNode body = render(Platform.TEAMS, PayloadsTest::failedAnalysis);

        assertThat(body.get("type").asText()).isEqualTo("message");
        JsonNode attachment = body.at("/attachments/0");
        assertThat(body.get("attachments")).hasSize(1);
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.get("contentUrl").isNull()).isTrue();
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asText()).isEqualTo("1.4");
        assertThat(card.get("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
        assertThat(card.get("body")).extracting(b -> b.get("type").asText())
                .containsExactly("TextBlock", "TextBlock", "FactSet", "TextBlock", "FactSet", "TextBlock");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(card.at("/body/1/text").asText()).startsWith("Analysis of release rel-42 is **FAILED**");
        assertThat(card.at("/body/4/facts/0/title").asText()).isEqualTo("error-rate FAILED");
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("https://dash.example.com/releases/rel-42");
    }

    @Test
    void teamsStaysWellBelowTheMessageSizeLimit() {
        HttpPayload payload = payload(Platform.TEAMS, PayloadsTest::hugeAnalysis);

        assertThat(payload.body().length).isLessThan(28 * 1024);
        assertThat(json(payload).at("/attachments/0/content/body/4/facts")).hasSize(TeamsRenderer.FACTS_MAX);
    }

    @Test
    void discordGetsOneColouredEmbedWithFieldsAndNoMentions() {
        JsonNode body = render(Platform.DISCORD, PayloadsTest::failedAnalysis);

        assertThat(body.at("/allowed_mentions/parse")).isEmpty();
        assertThat(body.get("embeds")).hasSize(1);
        JsonNode embed = body.at("/embeds/0");
        assertThat(embed.get("title").asText()).isEqualTo("Analysis FAILED: payments/payment-gateway");
        assertThat(embed.get("color").asInt()).isEqualTo(0xCF222E);
        assertThat(embed.get("url").asText()).isEqualTo("https://dash.example.com/releases/rel-42");
        assertThat(embed.get("timestamp").asText()).isEqualTo("2025-05-01T10:04:22Z");
        assertThat(embed.get("fields")).hasSize(10);
        assertThat(embed.at("/fields/0/inline").asBoolean()).isTrue();
        assertThat(embed.at("/fields/8/name").asText()).isEqualTo("error-rate · FAILED");
        assertThat(embed.at("/fields/8/inline").asBoolean()).isFalse();
        assertThat(embed.at("/footer/text").asText()).startsWith("error · event ");
    }

    @Test
    void discordStaysWithinEmbedLimitsWhateverTheEventSays() {
        JsonNode embed = render(Platform.DISCORD, PayloadsTest::hugeAnalysis).at("/embeds/0");

        int total = embed.get("title").asText().length() + embed.get("description").asText().length()
                + embed.at("/footer/text").asText().length() + StreamSupport.stream(embed.get("fields").spliterator(),
                        false).mapToInt(f -> f.get("name").asText().length() + f.get("value").asText().length()).sum();
        assertThat(total).isLessThanOrEqualTo(DiscordRenderer.TOTAL_MAX);
        assertThat(embed.get("fields").size()).isLessThanOrEqualTo(25);
        assertThat(embed.get("description").asText().length()).isLessThanOrEqualTo(4096);
        embed.get("fields").forEach(f -> assertThat(f.get("value").asText().length()).isLessThanOrEqualTo(1024));
    }

    @Test
    void googleChatGetsACardsV2CardWithSectionsOfWidgets() {
        JsonNode body = render(Platform.GOOGLE_CHAT, PayloadsTest::failedAnalysis);

        assertThat(body.get("fallbackText").asText()).startsWith("payments/payment-gateway: analysis FAILED");
        assertThat(body.get("cardsV2")).hasSize(1);
        assertThat(body.at("/cardsV2/0/cardId").asText()).isEqualTo("serin-rel-42-5");
        JsonNode card = body.at("/cardsV2/0/card");
        assertThat(card.at("/header/title").asText()).isEqualTo("Analysis FAILED: payments/payment-gateway");
        assertThat(card.at("/sections/0/widgets/0/textParagraph/text").asText())
                .startsWith("Analysis of release <font color=\"#5f6368\">rel-42</font> is <b>FAILED</b>");
        assertThat(card.at("/sections/1/header").asText()).isEqualTo("Details");
        assertThat(card.at("/sections/1/widgets/0/decoratedText/topLabel").asText()).isEqualTo("Release");
        assertThat(card.at("/sections/2/header").asText()).isEqualTo("Evidence");
        assertThat(card.at("/sections/3/widgets/0/buttonList/buttons/0/onClick/openLink/url").asText())
                .isEqualTo("https://dash.example.com/releases/rel-42");
    }

    @Test
    void googleChatKeepsToOneHundredWidgetsPerCard() {
        JsonNode card = render(Platform.GOOGLE_CHAT, PayloadsTest::hugeAnalysis).at("/cardsV2/0/card");

        int widgets = StreamSupport.stream(card.get("sections").spliterator(), false)
                .mapToInt(s -> s.get("widgets").size()).sum();
        assertThat(widgets).isLessThanOrEqualTo(GoogleChatRenderer.WIDGETS_MAX);
    }

    @Test
    void webhookGetsTheCloudEventInStructuredModeWithSummaryAndSeverityExtensions() {
        HttpPayload payload = payload(Platform.WEBHOOK, PayloadsTest::failedAnalysis);

        assertThat(payload.contentType()).isEqualTo("application/cloudevents+json; charset=utf-8");
        assertThat(payload.headers()).isEmpty();
        JsonNode body = json(payload);
        assertThat(body.get("specversion").asText()).isEqualTo("1.0");
        assertThat(body.get("type").asText()).isEqualTo("io.serin.release.analysis-completed.v1");
        assertThat(body.get("serinsummary").asText()).startsWith("payments/payment-gateway: analysis FAILED");
        assertThat(body.get("serinseverity").asText()).isEqualTo("error");
        assertThat(EventCodec.of(ReleaseEvent.class).decode(payload.body())).isEqualTo(failedAnalysis(Platform.WEBHOOK).event());
    }

    @Test
    void signsTheWebhookBodyWithHmacSha256WhenASecretIsConfigured() {
        ChatMessage message = failedAnalysis(Platform.WEBHOOK);
        HttpPayload payload = new CloudEventsRenderer(Optional.of("t0p-s3cr3t")).render(message);

        String expected = "sha256=" + CloudEventsRenderer.sign(
                new SecretKeySpec("t0p-s3cr3t".getBytes(StandardCharsets.UTF_8), "HmacSHA256"), payload.body());
        assertThat(payload.headers()).containsExactly(java.util.Map.entry("X-Serin-Signature-256", expected));
        assertThat(expected).matches("sha256=[0-9a-f]{64}");
        assertThat(payload.bodyText()).doesNotContain("t0p-s3cr3t");
        assertThat(new CloudEventsRenderer(Optional.of("t0p-s3cr3t")).toString()).doesNotContain("t0p-s3cr3t");
    }

    @Test
    void cutsTextToALimitWithoutSplittingCharacters() {
        assertThat(Limits.cut("abcdef", 4)).isEqualTo("abc…");
        assertThat(Limits.cut("abc", 4)).isEqualTo("abc");
        assertThat(Limits.cut("ab\uD83D\uDE80cd", 4)).isEqualTo("ab…");
    }

    private static ChatMessage failedAnalysis(Platform platform) {
        return composeAt(4, LOG.get(4), platform);
    }

    /** An analysis with 200 metrics and an essay of a reason, to push every limit. */
    private static ChatMessage hugeAnalysis(Platform platform) {
        List<MetricEvidence> metrics = IntStream.range(0, 200).mapToObj(i -> new MetricEvidence(
                "metric-" + i + "-" + "x".repeat(300), Variant.CANARY, Verdict.FAILED, 0.5, null, 0.1, 5.0, 10.0, 3,
                "r".repeat(2000))).toList();
        ReleaseEvent.AnalysisCompleted huge = new ReleaseEvent.AnalysisCompleted("rel-42", 5, Samples.T0.plusSeconds(99),
                Samples.TARGET, 1, new AnalysisVerdict("an", "rel-42", Verdict.FAILED, "why ".repeat(3000),
                Samples.T0, metrics));
        return composeAt(4, huge, platform);
    }

    private static ChatMessage composeAt(int index, ReleaseEvent event, Platform platform) {
        ReleaseContext context = null;
        for (int i = 0; i < index; i++) {
            context = ReleaseContext.after(context, LOG.get(i));
        }
        return COMPOSER.compose(Samples.envelope(event), ReleaseContext.after(context, event), platform);
    }

    private static HttpPayload payload(Platform platform, Function<Platform, ChatMessage> message) {
        return Renderers.of(platform, Optional.empty()).render(message.apply(platform));
    }

    private static JsonNode render(Platform platform, Function<Platform, ChatMessage> message) {
        return json(payload(platform, message));
    }

    private static JsonNode json(HttpPayload payload) {
        try {
            return EventCodec.mapper().readTree(payload.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
