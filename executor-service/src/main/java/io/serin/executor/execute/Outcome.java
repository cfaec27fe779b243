package io.serin.executor.execute;

import io.serin.events.TrafficState;

/** What a command did, as its result reports it; {@code traffic} is null where traffic did not move. */
record Outcome(String summary, TrafficState traffic) {
}
