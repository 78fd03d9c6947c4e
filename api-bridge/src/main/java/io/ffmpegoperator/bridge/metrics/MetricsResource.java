package io.ffmpegoperator.bridge.metrics;

import io.ffmpegoperator.bridge.http.OpenAccess;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /metrics} in the Prometheus text format: requests by method, route template and status
 * with their latency, and the JVM's basics. Open like the health checks, since scrapers carry no
 * API key; not in the OpenAPI document, which describes the API clients use.
 */
@OpenAccess
@Hidden
@Singleton
@Path("/")
public final class MetricsResource {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

  private final PrometheusMeterRegistry registry;

  @Inject
  public MetricsResource(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @GET
  @Path("metrics")
  public Response metrics() {
    return Response.ok(registry.scrape(), PROMETHEUS_TEXT).cacheControl(NO_STORE).build();
  }
}
