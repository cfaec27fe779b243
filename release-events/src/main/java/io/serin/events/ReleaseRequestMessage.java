package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** Messages on {@value Topics#RELEASE_REQUESTS}. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReleaseRequested.class, name = "io.serin.release.requested.v1"),
})
public sealed interface ReleaseRequestMessage permits ReleaseRequested {

    String releaseId();
}
