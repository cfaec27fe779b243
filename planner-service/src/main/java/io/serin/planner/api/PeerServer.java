package io.serin.planner.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serin.events.EventCodec;
import io.serin.planner.config.PlannerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one planner instance asks another: the releases of its own partitions, as stored, on a port
 * of its own ({@code serin.planner.peers.port}), never the public API's. Every call must present the
 * peers' shared bearer token; without a configured token every call is refused (403), so a lone
 * instance exposes nothing. Only GETs of {@code /internal/releases} and {@code /internal/releases/<id>}.
 */
@ApplicationScoped
public class PeerServer {

    static final String PATH = "/internal/releases";
    private static final Logger LOG = Logger.getLogger(PeerServer.class);

    private final Vertx vertx;
    private final ReleaseStore store;
    private final PlannerConfig.Peers config;
    private HttpServer server;

    PeerServer(Vertx vertx, ReleaseStore store, PlannerConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.config = config.peers();
    }

    void start(@Observes StartupEvent event) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setMaxInitialLineLength(2048).setMaxHeaderSize(8192))
                .requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.infof("peer endpoint on %s:%d%s", config.host(), server.actualPort(),
                config.token().isEmpty() ? " (no serin.planner.peers.token: every call is refused)" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (!authenticated(request.getHeader("Authorization"))) {
            request.response().setStatusCode(403).end();
            return;
        }
        String path = request.path();
        if (!"GET".equals(request.method().name()) || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
            request.response().setStatusCode(404).end();
            return;
        }
        vertx.<Optional<byte[]>>executeBlocking(() -> {
            if (path.equals(PATH)) {
                int limit = parse(request.getParam("limit"));
                return Optional.of(EventCodec.writeValue(store.listLocal(Math.max(1, Math.min(limit, 1000)))));
            }
            String id = java.net.URLDecoder.decode(path.substring(PATH.length() + 1), StandardCharsets.UTF_8);
            return store.getLocal(id).map(EventCodec::writeValue);
        }, false).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("peer read of %s failed: %s", path, result.cause().toString());
                request.response().setStatusCode(503).end();
            } else if (result.result().isEmpty()) {
                request.response().setStatusCode(404).end();
            } else {
                request.response().putHeader("Content-Type", "application/json")
                        .end(io.vertx.core.buffer.Buffer.buffer(result.result().get()));
            }
        });
    }

    private boolean authenticated(String authorization) {
        if (config.token().isEmpty() || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(config.token().get().getBytes(StandardCharsets.UTF_8),
                authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8));
    }

    private static int parse(String limit) {
        try {
            return limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
