package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** Messages on {@value Topics#RELEASE_REQUESTS}. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReleaseRequested.class, name = "io.serin.release.requested.v1"),
        @JsonSubTypes.Type(value = ReleaseActionRequested.class, name = "io.serin.release.action-requested.v1"),
})
public sealed interface ReleaseRequestMessage permits ReleaseRequested, ReleaseActionRequested {

    String releaseId();
}
