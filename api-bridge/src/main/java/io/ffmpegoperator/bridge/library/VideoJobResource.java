package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.QueryParams;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.http.ValidationErrorResponse;
import io.ffmpegoperator.bridge.store.VideoJobStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Where queued jobs stand: not in the seed, which only reports at the end of execute. */
@Singleton
@Path("/video/jobs")
public final class VideoJobResource {
  private final VideoJobStore jobs;

  @Inject
  public VideoJobResource(VideoJobStore jobs) {
    this.jobs = jobs;
  }

  @GET
  @Path("{job_id}")
  @Operation(summary = "Get Job", description = "One queued job's state, progress and result.")
  @ApiResponse(
      responseCode = "200",
      description = "The job.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = VideoJobResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No job has this id.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = "job_id is not an integer.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ValidationErrorResponse.class)))
  public Response job(
      @Parameter(description = "The job id queueing returned", schema = @Schema(type = "integer"))
          @PathParam("job_id")
          String jobId) {
    long id = QueryParams.requiredInt("path", "job_id", jobId);
    return jobs.find(id)
        .map(job -> Responses.json(VideoJobResponse.of(job)))
        .orElseThrow(() -> ApiException.detail(404, "Job not found"));
  }

  @GET
  @Operation(
      summary = "List Jobs",
      description = "Jobs ordered by id: those of one request code, or all.")
  @ApiResponse(
      responseCode = "200",
      description = "The jobs.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              array = @ArraySchema(schema = @Schema(implementation = VideoJobResponse.class))))
  public Response list(
      @Parameter(description = "Only this request code's jobs") @QueryParam("request_code")
          String requestCode) {
    return Responses.json(jobs.list(requestCode).stream().map(VideoJobResponse::of).toList());
  }
}
