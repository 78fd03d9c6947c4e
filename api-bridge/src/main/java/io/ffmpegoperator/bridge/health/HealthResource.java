package io.ffmpegoperator.bridge.health;

import io.ffmpegoperator.bridge.http.OpenAccess;
import io.ffmpegoperator.bridge.http.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** The seed's health checks: the API itself, and whether ffmpeg can run. */
@OpenAccess
@Singleton
@Path("/")
public final class HealthResource {
  /** Checking ffmpeg starts a process, so its answer is reused for a while. */
  static final Duration FFMPEG_CHECK_LIFETIME = Duration.ofSeconds(60);

  private final BooleanSupplier ffmpegInstalled;
  private final Clock clock;
  private Instant checkedAt;
  private boolean lastAnswer;

  @Inject
  public HealthResource(BooleanSupplier ffmpegInstalled, Clock clock) {
    this.ffmpegInstalled = ffmpegInstalled;
    this.clock = clock;
  }

  @GET
  @Path("health")
  @Operation(summary = "Health Check", description = "Whether the API is up.")
  @ApiResponse(
      responseCode = "200",
      description = "The API is up.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = HealthResponse.class)))
  public Response health() {
    return Responses.json(new HealthResponse("ok"));
  }

  @GET
  @Path("ffmpeg/health")
  @Operation(summary = "FFmpeg Health Check", description = "Whether ffmpeg is installed.")
  @ApiResponse(
      responseCode = "200",
      description = "The API is up; ffmpeg_installed tells whether ffmpeg runs.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = FfmpegHealthResponse.class)))
  public Response ffmpegHealth() {
    return Responses.json(new FfmpegHealthResponse("ok", ffmpegInstalled() ? "yes" : "no"));
  }

  // Synchronized so a burst of requests after expiry runs one check, not one per request.
  synchronized boolean ffmpegInstalled() {
    Instant now = clock.instant();
    if (checkedAt == null || !now.isBefore(checkedAt.plus(FFMPEG_CHECK_LIFETIME))) {
      lastAnswer = ffmpegInstalled.getAsBoolean();
      checkedAt = now;
    }
    return lastAnswer;
  }
}
