package io.serin.planner.api;

import io.serin.planner.plan.ReleaseState;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * What one planner instance asks another: the releases of its own partitions, as stored. Not part
 * of the published API (hidden from the OpenAPI document).
 */
@Path("/internal/releases")
@Produces(MediaType.APPLICATION_JSON)
public class InternalReleaseResource {

    @Inject
    ReleaseStore store;

    @GET
    @Operation(hidden = true)
    public Response list(@QueryParam("limit") @DefaultValue("100") int limit) {
        // the contract's mapper on both ends, so a state reads back exactly as it was stored
        List<ReleaseState> local = store.listLocal(Math.max(1, Math.min(limit, 1000)));
        return Response.ok(io.serin.events.EventCodec.writeValue(local)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public Response get(@PathParam("id") String id) {
        return store.getLocal(id).map(s -> Response.ok(io.serin.events.EventCodec.writeValue(s)).build())
                .orElseGet(() -> Response.status(404).build());
    }
}
