package io.serin.planner.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** While the store is (re)starting the API answers 503 with Retry-After instead of an error page. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<ReleaseStore.Unavailable> {

    @Override
    public Response toResponse(ReleaseStore.Unavailable e) {
        return Response.status(503).header("Retry-After", "2").entity(Map.of("reason", e.getMessage())).build();
    }
}
