package io.serin.sandbox;

import io.serin.events.EventCodec;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bodies a person submits by hand read back as the requests the scenarios submit themselves. */
class RequestBodiesTest {

    @Test
    void everyScenarioBodyReadsBackAsItsRequestWithoutIdOrRequester() throws Exception {
        for (Scenario s : Scenario.values()) {
            ReleaseRequested body = RequestBodies.anonymous(s.request("x"));
            String json = RequestBodies.json(body);

            assertThat(json).doesNotContain("releaseId", "requestedBy");
            assertThat(EventCodec.mapper().readValue(json, ReleaseRequested.class)).isEqualTo(body);
        }
    }

    @Test
    void theInlineExampleIsACanaryOfTheChatbot() throws Exception {
        ReleaseRequested r = EventCodec.mapper().readValue(RequestBodies.SLOW_CHATBOT_CANARY, ReleaseRequested.class);

        assertThat(r.target().namespace() + "/" + r.target().name()).isEqualTo("support/chatbot");
        assertThat(r.to().image()).endsWith(":v2-slow");
        assertThat(r.strategy()).isInstanceOf(Strategy.Canary.class);
    }
}
