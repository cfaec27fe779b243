package io.serin.planner.api;

import io.serin.events.EventCodec;
import io.serin.events.InvalidMessageException;
import io.serin.events.Limits;
import io.serin.events.ReleaseAction;
import io.serin.events.ReleaseActionRequested;
import io.serin.events.ReleaseRequested;
import io.serin.events.Violation;
import io.serin.planner.plan.ReleasePlanner;
import io.serin.planner.plan.ReleaseState;
import io.serin.planner.config.PlannerConfig;
import io.serin.planner.plan.RequestValidator;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.UUID;

/**
 * The operator API. Every route needs a verified bearer token (quarkus-oidc), and who the token names
 * is the only identity: requests and actions are recorded with it. What a caller may do is decided per
 * namespace by the Kubernetes API server ({@link ReleaseAuthorizer}). Reads are served from the
 * planner's state; every write is published to Kafka, so it is ordered with the release and recorded
 * in its event log with who asked. An action that cannot apply in the release's current state is
 * refused with 409 and the reason; the planner checks again when the action arrives and records a
 * rejection if the state moved meanwhile.
 */
@Path("/releases")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ReleaseResource {

    /**
     * A header any non-browser client can send and a cross-site form cannot: with it, an action may
     * come without a JSON body ({@code curl -X POST -H 'X-Requested-By: me' …/promote}).
     */
    static final String REQUESTED_BY_HEADER = "X-Requested-By";
    /**
     * The client's id for one action: a retry with the same key applies the action once. The action's
     * id is {@code <verb>:<key>}, so a key reused with another action does not swallow it.
     */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** How long a 202 waits for the planner to hold the release it reports. */
    static final long STORED_WITHIN_MS = 3_000;

    /** Optional body of an action. */
    public record ActionBody(String reason) {
    }

    @Inject
    ReleaseStore store;

    @Inject
    RequestPublisher publisher;

    @Inject
    ReleasePlanner planner;

    @Inject
    RequestValidator validator;

    @Inject
    SecurityIdentity identity;

    @Inject
    ReleaseAuthorizer authorizer;

    @Inject
    WriteLimiter limiter;

    @Inject
    PlannerConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a release", description = "Validates the request and publishes it to "
            + "serin.release.requests; the planner carries it out. Without a releaseId one is generated. "
            + "The requester is the token's subject; needs verb 'create' on releases.serin.io in the target's "
            + "namespace.")
    @APIResponse(responseCode = "202", description = "Published; follow Location")
    @APIResponse(responseCode = "400", description = "Invalid; the body lists every violation by field")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The caller may not create releases in that namespace")
    @APIResponse(responseCode = "429", description = "Too many writes by this caller; Retry-After says when to try again")
    public Response request(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReleaseRequested.class))) byte[] raw) throws Exception {
        Caller caller = caller();
        Optional<Response> limited = limit(caller);
        if (limited.isPresent()) {
            return limited.get();
        }
        // read with the contract's own mapper, so that an unreadable body is refused as the Kafka path
        // refuses it: 400 naming the field and the reason (never 500, never an empty body)
        ReleaseRequested body;
        try {
            body = EventCodec.readPayload(raw, ReleaseRequested.class);
        } catch (InvalidMessageException e) {
            return Response.status(400).entity(Map.of("violations", e.violations())).build();
        }
        if (body.requestedBy() != null && !body.requestedBy().equals(caller.user())) {
            return Response.status(400).entity(Map.of("violations", List.of(new Violation("requestedBy",
                    "must be absent or the authenticated user '" + caller.user() + "': the requester is who the "
                            + "token names")))).build();
        }
        String id = body.releaseId() != null ? body.releaseId() : "rel-" + UUID.randomUUID().toString().substring(0, 8);
        ReleaseRequested request = new ReleaseRequested(id, body.target(), body.to(), body.strategy(),
                caller.user(), body.notifications());
        if (request.target() != null && request.target().namespace() != null && request.target().name() != null) {
            Optional<Response> forbidden = forbidden(caller, "create", request.target().namespace(),
                    request.target().name(), id);
            if (forbidden.isPresent()) {
                return forbidden.get();
            }
        }
        List<Violation> violations = validator.validate(request, null);
        if (!violations.isEmpty()) {
            return Response.status(400).entity(Map.of("releaseId", id, "violations", violations)).build();
        }
        Optional<ReleaseState> existing = store.get(id);
        if (existing.isPresent()) {
            boolean same = request.equals(existing.get().request());
            return Response.status(409).entity(Map.of("releaseId", id, "reason", same
                    ? "release already exists (this request was already accepted)"
                    : "release id already used by a release with different content")).build();
        }
        publisher.publish(id, request);
        awaitStored(id);
        return Response.accepted(Map.of("releaseId", id)).location(URI.create("/releases/" + id)).build();
    }

    /**
     * Read-your-writes: the 202 waits until the planner holds the release (usually a commit interval,
     * tens of milliseconds), so a GET of Location right after it finds it, on any instance. A planner
     * that has not taken it within {@value #STORED_WITHIN_MS} ms (rebalancing, the broker slow) does not
     * hold the answer back longer: the request is durable either way.
     */
    private void awaitStored(String id) throws InterruptedException {
        long deadline = System.nanoTime() + STORED_WITHIN_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            try {
                if (store.get(id).isPresent()) {
                    return;
                }
            } catch (ReleaseStore.Unavailable e) {
                // rebalancing: try again until the deadline
            }
            Thread.sleep(10);
        }
    }

    @GET
    @Operation(summary = "List releases", description = "Most recently updated first, from every planner "
            + "instance; only those in namespaces where the caller may 'list' releases.serin.io")
    public List<ReleaseView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        Caller caller = caller();
        Map<String, Boolean> visible = new java.util.HashMap<>();
        return store.list(Math.max(1, Math.min(limit, 1000))).stream()
                .filter(s -> visible.computeIfAbsent(namespaceOf(s),
                        ns -> authorizer.whyNot(caller, "list", ns, null).isEmpty()))
                .map(s -> ReleaseView.of(s, false)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A release's current step, traffic, last verdict and history")
    @APIResponse(responseCode = "404", description = "No such release")
    public Response get(@PathParam("id") String id) {
        Caller caller = caller();
        Optional<ReleaseState> state = store.get(id);
        if (state.isEmpty()) {
            return notFound(id);
        }
        return forbidden(caller, "get", namespaceOf(state.get()), nameOf(state.get()), id)
                .orElseGet(() -> Response.ok(ReleaseView.of(state.get(), true)).build());
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Go to the next step; with full=true skip all remaining steps and promote")
    @APIResponse(responseCode = "202", description = "Published")
    @APIResponse(responseCode = "409", description = "Does not apply in the release's state; the body says why")
    @APIResponse(responseCode = "415", description = "Neither a JSON body nor the X-Requested-By header")
    public Response promote(@PathParam("id") String id, @QueryParam("full") @DefaultValue("false") boolean full,
            @Context HttpHeaders headers, String body) throws Exception {
        return act(id, full ? ReleaseAction.PROMOTE_FULL : ReleaseAction.PROMOTE, headers, body);
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Hold at the next step boundary")
    public Response pause(@PathParam("id") String id, @Context HttpHeaders headers, String body) throws Exception {
        return act(id, ReleaseAction.PAUSE, headers, body);
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Lift a pause")
    public Response resume(@PathParam("id") String id, @Context HttpHeaders headers, String body) throws Exception {
        return act(id, ReleaseAction.RESUME, headers, body);
    }

    @POST
    @Path("/{id}/abort")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Roll back now")
    public Response abort(@PathParam("id") String id, @Context HttpHeaders headers, String body) throws Exception {
        return act(id, ReleaseAction.ABORT, headers, body);
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Run a rolled-back release again from its first step")
    public Response retry(@PathParam("id") String id, @Context HttpHeaders headers, String body) throws Exception {
        return act(id, ReleaseAction.RETRY, headers, body);
    }

    @POST
    @Path("/{id}/retire")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "API versions side by side: stop serving the old version; the target moves to the new one")
    public Response retire(@PathParam("id") String id, @Context HttpHeaders headers, String body) throws Exception {
        return act(id, ReleaseAction.RETIRE, headers, body);
    }

    /**
     * The body is optional ({@code curl -X POST -H 'X-Requested-By: me' …/promote} must work), so it is
     * read as text; but a request a browser could send cross-site (a form: no JSON content type, no
     * custom header) is refused before anything else.
     */
    private Response act(String id, ReleaseAction action, HttpHeaders headers, String rawBody) throws Exception {
        MediaType type = headers.getMediaType();
        boolean json = type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE);
        if (!json && headers.getHeaderString(REQUESTED_BY_HEADER) == null) {
            return Response.status(415).entity(Map.of("releaseId", id, "reason", "an action needs Content-Type: "
                    + "application/json or a " + REQUESTED_BY_HEADER + " header (so that no web page can send it)"))
                    .build();
        }
        String key = headers.getHeaderString(IDEMPOTENCY_KEY);
        if (key != null && !KEY.matcher(key).matches()) {
            return Response.status(400).entity(Map.of("releaseId", id, "violations", List.of(new Violation(
                    IDEMPOTENCY_KEY, "must be 1-128 letters, digits, '.', '_', ':' or '-'")))).build();
        }
        Caller caller = caller();
        ActionBody body;
        try {
            body = rawBody == null || rawBody.isBlank() ? null
                    : EventCodec.readPayload(rawBody.getBytes(StandardCharsets.UTF_8), ActionBody.class);
        } catch (InvalidMessageException e) {
            return Response.status(400).entity(Map.of("releaseId", id, "reason",
                    "the body must be empty or {\"reason\": \"...\"}", "violations", e.violations())).build();
        }
        if (body != null && body.reason() != null && body.reason().length() > Limits.MAX_TEXT) {
            return Response.status(400).entity(Map.of("releaseId", id, "violations", List.of(new Violation(
                    "reason", "must be at most " + Limits.MAX_TEXT + " characters")))).build();
        }
        Optional<ReleaseState> state = store.get(id);
        if (state.isEmpty()) {
            return notFound(id);
        }
        String verb = action == ReleaseAction.PROMOTE_FULL ? "promote" : action.name().toLowerCase(java.util.Locale.ROOT);
        Optional<Response> forbidden = forbidden(caller, verb, namespaceOf(state.get()), nameOf(state.get()), id);
        if (forbidden.isPresent()) {
            return forbidden.get();
        }
        // the key names one action: the same key sent with another action is another action
        String actionId = key == null ? UUID.randomUUID().toString() : verb + ":" + key;
        if (key != null && state.get().actionIds() != null && state.get().actionIds().contains(actionId)) {
            // a retry of an action that was applied: the same answer, nothing published again
            return Response.ok(Map.of("releaseId", id, "action", action, "actionId", actionId,
                    "reason", "already applied")).build();
        }
        Optional<Response> limited = limit(caller);
        if (limited.isPresent()) {
            return limited.get();
        }
        ReleaseActionRequested request = new ReleaseActionRequested(id, actionId, action, caller.user(),
                body == null ? null : body.reason());
        Optional<String> whyNot = planner.whyNot(request, state.get());
        if (whyNot.isPresent()) {
            return Response.status(409).entity(Map.of("releaseId", id, "action", action, "reason", whyNot.get()))
                    .build();
        }
        publisher.publish(id, request);
        return Response.accepted(Map.of("releaseId", id, "action", action, "actionId", request.actionId())).build();
    }

    /**
     * The release's namespace; "" for a stored release without a target (none is planned without one),
     * which only a caller allowed cluster-wide (a ClusterRoleBinding) may see or act on.
     */
    private static String namespaceOf(ReleaseState state) {
        return state.request() == null || state.request().target() == null
                || state.request().target().namespace() == null ? "" : state.request().target().namespace();
    }

    private static String nameOf(ReleaseState state) {
        return state.request() == null || state.request().target() == null ? null : state.request().target().name();
    }

    private Caller caller() {
        return Caller.of(identity, config.authorization());
    }

    private Optional<Response> forbidden(Caller caller, String verb, String namespace, String name, String id) {
        return authorizer.whyNot(caller, verb, namespace, name).map(why -> Response.status(403)
                .entity(Map.of("releaseId", id, "reason", why)).build());
    }

    private Optional<Response> limit(Caller caller) {
        OptionalLong wait = limiter.take(caller.user());
        return wait.isPresent() ? Optional.of(Response.status(429).header("Retry-After", wait.getAsLong())
                .entity(Map.of("reason", "too many writes by '" + caller.user() + "'; try again in "
                        + wait.getAsLong() + " s")).build()) : Optional.empty();
    }

    private static Response notFound(String id) {
        return Response.status(404).entity(Map.of("releaseId", id, "reason", "no such release")).build();
    }
}
