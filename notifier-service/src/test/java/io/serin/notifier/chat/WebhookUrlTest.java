package io.serin.notifier.chat;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlTest {

    @Test
    void addsAnIdempotencyKeyToTheQueryAGoogleChatUrlAlreadyHas() {
        URI url = URI.create("https://chat.googleapis.com/v1/spaces/AAA/messages?key=k3y&token=t%3Dk");

        assertThat(WebhookClient.withQuery(url, Map.of("requestId", "5f0c-9e")).toString()).isEqualTo(
                "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k3y&token=t%3Dk&requestId=5f0c-9e");
    }

    @Test
    void startsAQueryWhenTheUrlHasNoneAndEncodesValues() {
        URI url = URI.create("https://hooks.example.com/serin");

        assertThat(WebhookClient.withQuery(url, Map.of("id", "a b&c")).toString())
                .isEqualTo("https://hooks.example.com/serin?id=a+b%26c");
    }

    @Test
    void leavesTheUrlAloneWithoutParameters() {
        URI url = URI.create("https://hooks.slack.com/services/T0/B0/x");

        assertThat(WebhookClient.withQuery(url, Map.of())).isSameAs(url);
    }
}
