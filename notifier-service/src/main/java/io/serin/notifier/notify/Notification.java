package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;

/** What is posted for one release event: a one-line summary for humans and the event for machines. */
public record Notification(String summary, CloudEvent<? extends ReleaseEvent> event) {
}
