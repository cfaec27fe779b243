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
import io.serin.planner.plan.RequestValidator;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import java.util.UUID;

/**
 * The operator API. Reads are served from the planner's state; every write is published to
 * Kafka, so it is ordered with the release and recorded in its event log with who asked. An action
 * that cannot apply in the release's current state is refused with 409 and the reason; the planner
 * checks again when the action arrives and records a rejection if the state moved meanwhile.
 */
@Path("/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {

    /** Who is acting, e.g. set by an authenticating proxy. */
    static final String USER_HEADER = "X-Serin-User";

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

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a release", description = "Validates the request and publishes it to "
            + "serin.release.requests; the planner carries it out. Without a releaseId one is generated.")
    @APIResponse(responseCode = "202", description = "Published; follow Location")
    @APIResponse(responseCode = "400", description = "Invalid; the body lists every violation by field")
    public Response request(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReleaseRequested.class))) byte[] raw,
            @HeaderParam(USER_HEADER) String user) throws Exception {
        // read with the contract's own mapper, so that an unreadable body is refused as the Kafka path
        // refuses it: 400 naming the field and the reason (never 500, never an empty body)
        ReleaseRequested body;
        try {
            body = EventCodec.readPayload(raw, ReleaseRequested.class);
        } catch (InvalidMessageException e) {
            return Response.status(400).entity(Map.of("violations", e.violations())).build();
        }
        String id = body.releaseId() != null ? body.releaseId() : "rel-" + UUID.randomUUID().toString().substring(0, 8);
        ReleaseRequested request = new ReleaseRequested(id, body.target(), body.to(), body.strategy(),
                body.requestedBy() != null ? body.requestedBy() : user, body.notifications());
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
        return Response.accepted(Map.of("releaseId", id)).location(URI.create("/releases/" + id)).build();
    }

    @GET
    @Operation(summary = "List releases", description = "Most recently updated first, from every planner instance")
    public List<ReleaseView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return store.list(Math.max(1, Math.min(limit, 1000))).stream().map(s -> ReleaseView.of(s, false)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A release's current step, traffic, last verdict and history")
    @APIResponse(responseCode = "404", description = "No such release")
    public Response get(@PathParam("id") String id) {
        return store.get(id).map(s -> Response.ok(ReleaseView.of(s, true)).build())
                .orElseGet(() -> notFound(id));
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Go to the next step; with full=true skip all remaining steps and promote")
    @APIResponse(responseCode = "202", description = "Published")
    @APIResponse(responseCode = "409", description = "Does not apply in the release's state; the body says why")
    public Response promote(@PathParam("id") String id, @QueryParam("full") @DefaultValue("false") boolean full,
            @HeaderParam(USER_HEADER) String user, String body) throws Exception {
        return act(id, full ? ReleaseAction.PROMOTE_FULL : ReleaseAction.PROMOTE, user, body);
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Hold at the next step boundary")
    public Response pause(@PathParam("id") String id, @HeaderParam(USER_HEADER) String user, String body)
            throws Exception {
        return act(id, ReleaseAction.PAUSE, user, body);
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Lift a pause")
    public Response resume(@PathParam("id") String id, @HeaderParam(USER_HEADER) String user, String body)
            throws Exception {
        return act(id, ReleaseAction.RESUME, user, body);
    }

    @POST
    @Path("/{id}/abort")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Roll back now")
    public Response abort(@PathParam("id") String id, @HeaderParam(USER_HEADER) String user, String body)
            throws Exception {
        return act(id, ReleaseAction.ABORT, user, body);
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Run a rolled-back release again from its first step")
    public Response retry(@PathParam("id") String id, @HeaderParam(USER_HEADER) String user, String body)
            throws Exception {
        return act(id, ReleaseAction.RETRY, user, body);
    }

    @POST
    @Path("/{id}/retire")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "API versions side by side: stop serving the old version; the target moves to the new one")
    public Response retire(@PathParam("id") String id, @HeaderParam(USER_HEADER) String user, String body)
            throws Exception {
        return act(id, ReleaseAction.RETIRE, user, body);
    }

    /** The body is optional ({@code curl -X POST …/promote} must work), so it is read as text. */
    private Response act(String id, ReleaseAction action, String user, String rawBody) throws Exception {
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
        ReleaseActionRequested request = new ReleaseActionRequested(id, UUID.randomUUID().toString(), action,
                user == null || user.isBlank() ? "api" : user, body == null ? null : body.reason());
        Optional<String> whyNot = planner.whyNot(request, state.get());
        if (whyNot.isPresent()) {
            return Response.status(409).entity(Map.of("releaseId", id, "action", action, "reason", whyNot.get()))
                    .build();
        }
        publisher.publish(id, request);
        return Response.accepted(Map.of("releaseId", id, "action", action, "actionId", request.actionId())).build();
    }

    private static Response notFound(String id) {
        return Response.status(404).entity(Map.of("releaseId", id, "reason", "no such release")).build();
    }
}
