package io.serin.notifier.notify;

import io.serin.events.Notifications;
import io.serin.events.Severity;
import io.serin.events.WorkloadRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the channels of one event. Precedence: configured routes always apply, and a request's
 * {@code notifications} can only add channels, never remove or quieten a configured one, so that no
 * release can opt out of the on-call channel. A channel chosen twice gets the event once.
 */
public final class Router {

    /** The channels an event goes to, and request channel names that were not honoured (and why). */
    public record Decision(Set<String> channels, List<String> refused) {
    }

    private final List<Route> routes;
    private final Map<String, Boolean> requestable;

    /** @param requestable every configured channel name, and whether a release request may choose it */
    public Router(List<Route> routes, Map<String, Boolean> requestable) {
        this.routes = List.copyOf(routes);
        this.requestable = Map.copyOf(requestable);
        for (Route route : routes) {
            for (String channel : route.channels()) {
                if (!requestable.containsKey(channel)) {
                    throw new IllegalArgumentException("route '" + route.name() + "' names channel '" + channel
                            + "', which is not configured; configured: " + requestable.keySet());
                }
            }
        }
    }

    public Decision route(WorkloadRef target, Severity severity, Notifications requested) {
        Set<String> channels = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matches(target, severity)) {
                channels.addAll(route.channels());
            }
        }
        List<String> refused = new ArrayList<>();
        if (requested != null && requested.channels() != null
                && Severities.atLeast(severity, requested.minSeverity())) {
            for (String name : requested.channels()) {
                Boolean allowed = requestable.get(name);
                if (allowed == null) {
                    refused.add(name + " (not configured)");
                } else if (!allowed) {
                    refused.add(name + " (not requestable)");
                } else {
                    channels.add(name);
                }
            }
        }
        return new Decision(channels, refused);
    }
}
