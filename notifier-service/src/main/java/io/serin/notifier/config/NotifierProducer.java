package io.serin.notifier.config;

import io.serin.events.Severity;
import io.serin.notifier.chat.Renderers;
import io.serin.notifier.chat.WebhookClient;
import io.serin.notifier.messaging.DeliveryMetrics;
import io.serin.notifier.messaging.KafkaNotifierState;
import io.serin.notifier.notify.Attempts;
import io.serin.notifier.notify.Channel;
import io.serin.notifier.notify.Dispatcher;
import io.serin.notifier.notify.MessageComposer;
import io.serin.notifier.notify.Notifier;
import io.serin.notifier.notify.Platform;
import io.serin.notifier.notify.RetryPolicy;
import io.serin.notifier.notify.Route;
import io.serin.notifier.notify.Router;
import io.serin.notifier.notify.Sleeper;
import io.serin.notifier.notify.UncertainDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Wires the plain notifier classes from configuration. */
@ApplicationScoped
public class NotifierProducer {

    /** The channel and route that {@code serin.notifier.webhook.url} defines. */
    public static final String SHORTCUT = "webhook";

    @Produces
    @Singleton
    KafkaNotifierState state(NotifierConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String servers) {
        return KafkaNotifierState.start(servers, config.state());
    }

    void closeState(@Disposes KafkaNotifierState state) {
        state.close();
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(NotifierConfig config, KafkaNotifierState state, DeliveryMetrics metrics) {
        RetryPolicy retry = new RetryPolicy(config.retry().maxAttempts(), config.retry().initialBackoff(),
                config.retry().maxBackoff());
        return new Dispatcher(state, new Attempts(retry, Sleeper.REAL), metrics,
                new RetryPolicy(1, config.state().retryBackoff(), config.state().maxRetryBackoff()), Sleeper.REAL,
                config.queueCapacity());
    }

    void closeDispatcher(@Disposes Dispatcher dispatcher) {
        dispatcher.close();
    }

    @Produces
    @Singleton
    Notifier notifier(NotifierConfig config, KafkaNotifierState state, Dispatcher dispatcher, DeliveryMetrics metrics) {
        Map<String, Channel> channels = channels(config);
        metrics.register(channels.keySet());
        metrics.registerQueues(channels.keySet(), dispatcher::waiting);
        return new Notifier(channels, router(config, channels), new MessageComposer(config.dashboardUrl()), state,
                dispatcher);
    }

    static Map<String, Channel> channels(NotifierConfig config) {
        Map<String, Channel> channels = new LinkedHashMap<>();
        config.channels().forEach((name, c) -> {
            Platform platform = Platform.fromConfig(c.type());
            channels.put(name, new Channel(name, platform, Renderers.of(platform, c.secret()),
                    client(name, c.url(), c.timeout().orElse(config.webhook().timeout())),
                    ifUncertain(name, c.ifUncertain())));
        });
        config.webhook().url().filter(url -> !url.isBlank()).ifPresent(url -> {
            if (channels.containsKey(SHORTCUT)) {
                throw new IllegalArgumentException("serin.notifier.webhook.url defines channel '" + SHORTCUT
                        + "', which serin.notifier.channels also defines; use one or the other");
            }
            channels.put(SHORTCUT, new Channel(SHORTCUT, Platform.WEBHOOK,
                    Renderers.of(Platform.WEBHOOK, config.webhook().secret()),
                    client(SHORTCUT, url, config.webhook().timeout())));
        });
        return channels;
    }

    static Router router(NotifierConfig config, Map<String, Channel> channels) {
        List<Route> routes = new ArrayList<>();
        config.routes().forEach((name, r) -> routes.add(new Route(name, r.channels(), r.namespace(), r.app(),
                severity(name, r.minSeverity()))));
        if (channels.containsKey(SHORTCUT) && !config.channels().containsKey(SHORTCUT)) {
            routes.add(new Route(SHORTCUT, List.of(SHORTCUT), Optional.empty(), Optional.empty(), Severity.INFO));
        }
        Map<String, Boolean> requestable = new LinkedHashMap<>();
        channels.keySet().forEach(name -> requestable.put(name,
                !config.channels().containsKey(name) || config.channels().get(name).requestable()));
        return new Router(routes, requestable);
    }

    private static WebhookClient client(String channel, String url, java.time.Duration timeout) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            // the URL is a credential: say which channel is wrong, not what it says
            throw new IllegalArgumentException("channel '" + channel + "' has a malformed url");
        }
        try {
            return new WebhookClient(uri, timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + channel + "': " + e.getMessage());
        }
    }

    private static UncertainDelivery ifUncertain(String channel, String value) {
        try {
            return UncertainDelivery.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + channel + "' has if-uncertain '" + value
                    + "'; use repost or skip");
        }
    }

    private static Severity severity(String route, String value) {
        try {
            return Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route '" + route + "' has min-severity '" + value
                    + "'; use info, warn or error");
        }
    }
}
