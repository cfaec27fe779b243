package io.serin.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.serin.events.EventCodec;
import io.serin.events.ReleaseRequested;

/** Release requests as the planner's {@code POST /releases} takes them (the CloudEvent's data alone). */
final class RequestBodies {

    /**
     * A canary of chatbot whose image answers 30% slower, behind the NGINX canary Ingress at 20%:
     * its p99 (about 416 ms) fails the 400 ms check and it is rolled back.
     */
    static final String SLOW_CHATBOT_CANARY = "{\"target\":{\"kind\":\"Deployment\",\"namespace\":\"support\","
            + "\"name\":\"chatbot\"},\"to\":{\"image\":\"registry.example.com/support/chatbot:v2-slow\"},"
            + "\"strategy\":{\"type\":\"canary\",\"trafficRouting\":{\"type\":\"nginx\",\"ingress\":\"chatbot\"},"
            + "\"steps\":[{\"type\":\"setWeight\",\"weight\":20},{\"type\":\"analysis\",\"duration\":\"PT30S\","
            + "\"metrics\":[{\"name\":\"p99-latency\",\"measure\":{\"type\":\"latency\",\"metric\":\"latency\","
            + "\"quantile\":0.99},\"judge\":{\"type\":\"threshold\",\"max\":0.4},\"minCount\":100}]}]}}";

    private RequestBodies() {
    }

    static String json(ReleaseRequested request) {
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(request) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write release request " + request.releaseId(), e);
        }
    }

    /** Without release id and requester, which the planner's API fills in. */
    static ReleaseRequested anonymous(ReleaseRequested r) {
        return new ReleaseRequested(null, r.target(), r.to(), r.strategy(), null, r.notifications());
    }
}
