package io.ffmpegoperator.bridge.health;

import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.OpenAccess;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /ready}, the readiness probe: 200 while the API server is reachable and the caches are
 * synced, else 503 with the reason. Unlike the seed's {@code /health}, which only says the process
 * answers, this says whether it can serve. Not in the OpenAPI document: it is for the cluster, not
 * for API clients.
 */
@OpenAccess
@Hidden
@Singleton
@Path("/")
public final class ReadinessResource {
  private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

  private final Readiness readiness;

  @Inject
  public ReadinessResource(Readiness readiness) {
    this.readiness = readiness;
  }

  @GET
  @Path("ready")
  public Response ready() {
    String problem = readiness.problem();
    Response.ResponseBuilder response =
        problem == null
            ? Response.ok(new HealthResponse("ok"))
            : Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity(new ErrorResponse(problem));
    return response.type(MediaType.APPLICATION_JSON_TYPE).cacheControl(NO_STORE).build();
  }
}
