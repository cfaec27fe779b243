package io.serin.planner.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** No authorization decision could be had: 503, never access (the API fails closed). */
@Provider
public class AuthorizationUnavailableMapper implements ExceptionMapper<ReleaseAuthorizer.Unavailable> {

    @Override
    public Response toResponse(ReleaseAuthorizer.Unavailable e) {
        return Response.status(503).header("Retry-After", "5").entity(Map.of("reason", e.getMessage())).build();
    }
}
