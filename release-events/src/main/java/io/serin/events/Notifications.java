package io.serin.events;

import java.util.List;

/**
 * Where a release's events go, in addition to the notifier's configured routes. Channels are named
 * here and defined (with their webhook URLs and secrets) in the notifier's configuration, so a
 * request never carries a secret.
 *
 * @param channels    names of configured channels, e.g. {@code payments-slack}
 * @param minSeverity only events at least this severe go to these channels (default info: all)
 */
public record Notifications(List<String> channels, Severity minSeverity) {
}
