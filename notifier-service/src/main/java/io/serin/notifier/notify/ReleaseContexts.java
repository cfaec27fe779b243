package io.serin.notifier.notify;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The notifier's durable memory of releases, by release id. */
public interface ReleaseContexts {

    Optional<ReleaseContext> get(String releaseId);

    /** Completes once the context is durable. */
    CompletionStage<Void> put(ReleaseContext context);
}
