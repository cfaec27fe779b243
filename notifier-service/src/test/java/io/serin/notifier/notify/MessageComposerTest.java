package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;
import io.serin.events.Severity;
import io.serin.notifier.notify.ChatMessage.Evidence;
import io.serin.notifier.notify.ChatMessage.Fact;
import io.serin.notifier.testing.Samples;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MessageComposerTest {

    private static final List<ReleaseEvent> LOG = Samples.failingCanary("rel-42", null);

    private final MessageComposer composer = new MessageComposer(Optional.of(URI.create("https://dash.example.com/")));

    @Test
    void composesEveryEventTypeForEveryPlatformFromItsTemplate() {
        for (Class<?> type : ReleaseEvent.class.getPermittedSubclasses()) {
            ReleaseEvent event = (ReleaseEvent) Fixtures.sample(type);
            for (Platform platform : Platform.values()) {
                ChatMessage message = composer.compose(Samples.envelope(event), null, platform);

                assertThat(message.title()).as(type.getSimpleName() + " " + platform).isNotBlank();
                assertThat(message.text()).as(type.getSimpleName() + " " + platform).isNotBlank()
                        .doesNotContain("{", "NOT_FOUND");
            }
        }
    }

    @Test
    void showsVerdictAndPerMetricEvidenceWithThresholdsAndCounts() {
        ChatMessage message = compose(4, Platform.SLACK);

        assertThat(message.severity()).isEqualTo(Severity.ERROR);
        assertThat(message.title()).isEqualTo("Analysis FAILED: payments/payment-gateway");
        assertThat(message.text()).startsWith("Analysis of release `rel-42` is *FAILED*: error-rate above max.");
        assertThat(message.evidence()).containsExactly(
                new Evidence("error-rate", "FAILED", "0.031 > max 0.02 · 62 of 2000 · 48 samples"),
                new Evidence("latency-p99", "SUCCESSFUL", "0.312 ≤ max 0.5 · 48 samples"));
    }

    @Test
    void showsTheComparedVariantTheMarginAndThePValueOfAComparingJudge() {
        var evidence = new io.serin.events.MetricEvidence("error-rate", io.serin.events.Variant.CANARY,
                io.serin.events.Verdict.FAILED, 0.0479, null, null, 15.0, 313.0, 40, "worse",
                io.serin.events.Variant.STABLE, 0.0096, 9.0, 938.0, 626.0, 0.0016, 1.0);
        assertThat(MessageComposer.evidence(evidence)).isEqualTo(new Evidence("error-rate", "FAILED",
                "0.0479 vs stable 0.0096 (allowed up to 2×) · p 0.0016 · 15 of 313 vs 9 of 938 · 40 samples"));
    }

    @Test
    void carriesTargetVersionStrategyStepWeightAndDurationLearntFromTheRequest() {
        ChatMessage message = compose(4, Platform.SLACK);

        assertThat(message.facts()).containsExactly(
                new Fact("Release", "rel-42"),
                new Fact("Target", "Deployment payments/payment-gateway"),
                new Fact("Version", "registry.example.com/payments/payment-gateway:v2"),
                new Fact("Strategy", "canary, 2 steps"),
                new Fact("Step", "2"),
                new Fact("Canary weight", "25%"),
                new Fact("Running for", "4m 22s"),
                new Fact("Requested by", "ci/payments-pipeline#812"));
        assertThat(message.links()).containsExactly(
                new ChatMessage.Link("Release dashboard", URI.create("https://dash.example.com/releases/rel-42")));
    }

    @Test
    void writesEachPlatformsOwnMarkupAndEscapesEventText() {
        ReleaseEvent rolledBack = new ReleaseEvent.RolledBack("rel-<1>", 7, Samples.T0, Samples.TARGET,
                "p99 <b>*high*</b> & @everyone");
        CloudEvent<ReleaseEvent> event = Samples.envelope(rolledBack);

        assertThat(composer.compose(event, null, Platform.SLACK).text()).startsWith(
                "Release `rel-&lt;1&gt;` was rolled back: *p99 &lt;b&gt;*high*&lt;/b&gt; &amp; @everyone*.");
        assertThat(composer.compose(event, null, Platform.GOOGLE_CHAT).text()).startsWith(
                "Release <font color=\"#5f6368\">rel-&lt;1&gt;</font> was rolled back: "
                        + "<b>p99 &lt;b&gt;*high*&lt;/b&gt; &amp; @everyone</b>.");
        assertThat(composer.compose(event, null, Platform.DISCORD).text()).startsWith(
                "Release `rel-<1>` was rolled back: **p99 <b\\>\\*high\\*</b\\> & \\@everyone**.");
        assertThat(composer.compose(event, null, Platform.WEBHOOK).text()).startsWith(
                "Release rel-<1> was rolled back: p99 <b>*high*</b> & @everyone.");
    }

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(MessageComposer.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(MessageComposer.duration(Duration.ofSeconds(300))).isEqualTo("5m");
        assertThat(MessageComposer.duration(Duration.ofSeconds(3720))).isEqualTo("1h 2m");
        assertThat(MessageComposer.number(2000.0)).isEqualTo("2000");
        assertThat(MessageComposer.number(0.031234)).isEqualTo("0.0312");
    }

    private ChatMessage compose(int index, Platform platform) {
        ReleaseContext context = null;
        for (int i = 0; i < index; i++) {
            context = ReleaseContext.after(context, LOG.get(i));
        }
        ReleaseContext before = context;
        return composer.compose(Samples.envelope(LOG.get(index)), ReleaseContext.after(before, LOG.get(index)),
                platform);
    }
}
