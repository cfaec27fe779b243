package io.serin.notifier.notify;

import io.serin.events.CloudEvent;
import io.serin.events.ReleaseEvent;
import io.serin.events.Severity;
import io.serin.events.WorkloadRef;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Handles one release event: updates what is known of the release, chooses the channels, composes
 * one message per platform and hands one delivery per channel to the {@link Dispatcher}.
 * Must be called in log order per release (the consumer's partition order).
 */
public final class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    /**
     * What was decided for one event. {@code admitted} completes when every channel's lane has room
     * for it (the consumer waits for that before the next event); {@code deliveries} when every
     * channel is done with it and what is known of the release is durable.
     */
    public record Handling(Severity severity, List<String> channels, CompletableFuture<Void> admitted,
            CompletableFuture<List<DeliveryOutcome>> deliveries) {
    }

    private final Map<String, Channel> channels;
    private final Router router;
    private final MessageComposer composer;
    private final ReleaseContexts contexts;
    private final Dispatcher dispatcher;

    public Notifier(Map<String, Channel> channels, Router router, MessageComposer composer, ReleaseContexts contexts,
            Dispatcher dispatcher) {
        this.channels = Map.copyOf(channels);
        this.router = router;
        this.composer = composer;
        this.contexts = contexts;
        this.dispatcher = dispatcher;
    }

    /** @param lease whether this instance still owns the event's partition (see {@link Lease}) */
    public Handling handle(CloudEvent<? extends ReleaseEvent> event, DeadLetterSink deadLetters, Lease lease) {
        ReleaseEvent data = event.data();
        ReleaseContext before = contexts.get(data.releaseId()).orElse(null);
        ReleaseContext context = ReleaseContext.after(before, data);
        CompletableFuture<Void> remembered = context == before ? CompletableFuture.completedFuture(null)
                : contexts.put(context).toCompletableFuture();

        Severity severity = Severities.of(data);
        WorkloadRef target = MessageComposer.targetOf(data, context);
        Router.Decision decision = router.route(target, severity, context == null ? null : context.notifications());
        if (!decision.refused().isEmpty()) {
            LOG.warnf("release %s asks for channels the notifier will not use: %s", data.releaseId(),
                    decision.refused());
        }
        Map<Platform, ChatMessage> messages = new EnumMap<>(Platform.class);
        List<CompletableFuture<Void>> admissions = new ArrayList<>();
        List<CompletableFuture<DeliveryOutcome>> deliveries = new ArrayList<>();
        for (String name : decision.channels()) {
            Channel channel = channels.get(name);
            ChatMessage message = messages.computeIfAbsent(channel.platform(),
                    platform -> composer.compose(event, context, platform));
            Dispatcher.Dispatch dispatch = dispatcher.dispatch(channel, message, deadLetters, lease);
            admissions.add(dispatch.admitted());
            deliveries.add(dispatch.outcome());
        }
        CompletableFuture<List<DeliveryOutcome>> all = CompletableFuture
                .allOf(deliveries.toArray(CompletableFuture[]::new))
                .thenCombine(remembered, (ignored, alsoIgnored) -> deliveries.stream()
                        .map(CompletableFuture::join).toList());
        return new Handling(severity, List.copyOf(decision.channels()),
                CompletableFuture.allOf(admissions.toArray(CompletableFuture[]::new)), all);
    }
}
