package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.IdempotencyKeys;
import io.ffmpegoperator.bridge.http.JsonBodies;
import io.ffmpegoperator.bridge.http.QueryParams;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.http.ValidationErrorResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * Queues trims, concats and encodes per request code, and runs a code's queue on execute. Each
 * takes an optional {@code Idempotency-Key} (see {@link IdempotentJobs}).
 */
@Singleton
@Path("/video/process")
public final class VideoProcessResource {
  private static final String UNPROCESSABLE =
      "The body does not fit the model (a list of errors), or the Idempotency-Key is malformed or"
          + " was used for a different request within 24 h (a sentence).";

  private final VideoJobPlanner planner;
  private final IdempotentJobs jobs;
  private final JobExecution execution;

  @Inject
  public VideoProcessResource(
      VideoJobPlanner planner, IdempotentJobs jobs, JobExecution execution) {
    this.planner = planner;
    this.jobs = jobs;
    this.execution = execution;
  }

  @POST
  @Path("trim")
  @Operation(
      summary = "Queue Trim",
      description = "Queues a cut of one video, held until execute is called for the request code.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TrimRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The job is queued.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = JobQueuedResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "A time is malformed or negative, the end is not after the start, the start is past the"
              + " video's end, or the mode is unknown.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No video has this id.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = UNPROCESSABLE,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  public Response trim(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    TrimRequest request = JsonBodies.read(TrimRequest.class, contentType, body);
    var keyed = IdempotentJobs.Keyed.of(idempotencyKey, credential, "trim", request);
    return queued("Trim", jobs.queue(planner.trim(request), keyed));
  }

  @POST
  @Path("concat")
  @Operation(
      summary = "Queue Concat",
      description =
          "Queues joining videos in the given order; they must share codecs, resolution and"
              + " frame rate.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConcatRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The job is queued.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = JobQueuedResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Fewer than two videos, or their codecs, resolution or frame rate differ.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "A video id does not exist.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = UNPROCESSABLE,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  public Response concat(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    ConcatRequest request = JsonBodies.read(ConcatRequest.class, contentType, body);
    var keyed = IdempotentJobs.Keyed.of(idempotencyKey, credential, "concat", request);
    return queued("Concat", jobs.queue(planner.concat(request), keyed));
  }

  @POST
  @Path("encoding")
  @Operation(
      summary = "Queue Encode",
      description = "Queues re-encoding one video with the given encoders, frame size and rate.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = EncodeRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The job is queued.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = JobQueuedResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "An encoder or codec this FFmpeg cannot encode or of the wrong kind, a malformed"
              + " resolution, a frame rate outside 1-120, or the video is already encoded so.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No video has this id.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = UNPROCESSABLE,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  public Response encoding(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    EncodeRequest request = JsonBodies.read(EncodeRequest.class, contentType, body);
    var keyed = IdempotentJobs.Keyed.of(idempotencyKey, credential, "encoding", request);
    return queued("Encode", jobs.queue(planner.encode(request), keyed));
  }

  @POST
  @Path("execute")
  @Operation(
      summary = "Execute Jobs",
      description =
          "Releases the request code's held jobs and, unless wait=false, waits until all have"
              + " finished (up to the server's execute timeout). A retry with the same"
              + " Idempotency-Key releases nothing more: it answers about the jobs the first"
              + " request released, as the first would answer now.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ExecuteRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Every job succeeded.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = MessageResponse.class)))
  @ApiResponse(
      responseCode = "202",
      description = "With wait=false: the jobs are released and run on their own.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ExecuteAcceptedResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description = "The request code has no held jobs.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = UNPROCESSABLE,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  @ApiResponse(
      responseCode = "500",
      description = "A job failed; the detail names each failed job and why.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "504",
      description = "The jobs did not all finish in time; they keep running.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response execute(
      @Parameter(
              description = "Wait for the jobs to finish.",
              schema = @Schema(type = "boolean", defaultValue = "true"))
          @QueryParam("wait")
          String wait,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    boolean waitForJobs = QueryParams.bool("wait", wait, true);
    ExecuteRequest request = JsonBodies.read(ExecuteRequest.class, contentType, body);
    var keyed = IdempotentJobs.Keyed.of(idempotencyKey, credential, "execute", request);
    return execution.execute(request.requestCode(), waitForJobs, keyed);
  }

  private static Response queued(String operation, long jobId) {
    return Responses.json(new JobQueuedResponse(operation + " job added to queue", jobId));
  }
}
