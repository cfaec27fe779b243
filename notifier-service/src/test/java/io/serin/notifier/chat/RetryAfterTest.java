package io.serin.notifier.chat;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static HttpHeaders retryAfter(String value) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (a, b) -> true);
    }

    @Test
    void readsDelaySeconds() {
        assertThat(WebhookClient.retryAfter(retryAfter("7"))).contains(Duration.ofSeconds(7));
    }

    @Test
    void readsAnHttpDateAsTheTimeLeftUntilThen() {
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(30));
        assertThat(WebhookClient.retryAfter(retryAfter(inThirtySeconds))).hasValueSatisfying(
                wait -> assertThat(wait).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31)));
        assertThat(WebhookClient.retryAfter(retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))).contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatIsNeither() {
        assertThat(WebhookClient.retryAfter(retryAfter("soon"))).isEmpty();
        assertThat(WebhookClient.retryAfter(retryAfter("-3"))).isEmpty();
    }
}
