package io.ffmpegoperator.bridge.task;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.IdempotencyKeys;
import io.ffmpegoperator.bridge.http.JsonBodies;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.http.ValidationErrorResponse;
import io.ffmpegoperator.bridge.store.TaskStore;
import io.ffmpegoperator.bridge.store.UserLinks;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.TaskWebhook;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.policy.TaskCommand;
import io.ffmpegoperator.policy.WebhookUrl;
import io.ffmpegoperator.storage.S3Storage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The seed's FFmpeg task API (register a task, poll its status) and its additions: cancel and
 * delete a task.
 */
@Singleton
@Path("/")
public final class FfmpegTaskResource {
  /**
   * How long a delete waits for the operator to stop the task's pod and remove its outputs; the
   * pod's grace period is the longer part of it.
   */
  static final Duration DELETE_WAIT = Duration.ofSeconds(20);

  private final TaskStore store;
  private final S3Storage storage;
  private final UserLinks links;
  private final AddressPolicy addresses;
  private final ResourcePolicy resources;
  private final ParallelPolicy parallel;
  private final ApiKeys apiKeys;

  @Inject
  public FfmpegTaskResource(
      TaskStore store,
      S3Storage storage,
      UserLinks links,
      AddressPolicy addresses,
      ResourcePolicy resources,
      ParallelPolicy parallel,
      ApiKeys apiKeys) {
    this.store = store;
    this.apiKeys = apiKeys;
    this.storage = storage;
    this.links = links;
    this.addresses = addresses;
    this.resources = resources;
    this.parallel = parallel;
  }

  @POST
  @Path("ffmpeg/register")
  @Operation(
      summary = "Register Task",
      description = "Validates an FFmpeg task, stores it and returns its task id.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RegisterRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The task is registered and pending.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description = "ffmpeg_command or output_files is empty.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description =
          "The body does not fit the model (a list of errors: a missing field, an unknown key),"
              + " or the task can never run (a"
              + " sentence per problem), e.g. an input's host resolves to a private, loopback or"
              + " link-local address, or does not resolve, or resources asks for more than the"
              + " operator's maximum, or webhook_url is not an http(s) URL, carries user info or"
              + " resolves to such an address, or parallel asks for segments out of range or"
              + " comes with a command that cannot be split (the sentence says why).",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  @ApiResponse(
      responseCode = "503",
      description = "The task could not be stored; try again later.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response register(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    RegisterRequest request = JsonBodies.read(RegisterRequest.class, contentType, body);
    // The original's own checks and words, after the model's and before any of ours.
    if (request.ffmpegCommand().isEmpty()) {
      throw ApiException.detail(400, "No ffmpeg_command provided");
    }
    if (request.outputFiles().isEmpty()) {
      throw ApiException.detail(400, "No output_files provided");
    }
    return registered(request, idempotencyKey, credential, problem -> problem);
  }

  /**
   * The original FFmpeg API's merge: one video looped under audio tracks joined in order, made an
   * ordinary task ({@link MergeAudioVideoRequest#asTask}) and answered as register answers.
   */
  @POST
  @Path("ffmpeg/merge-audio-video")
  @Operation(
      summary = "Merge a looped video with audio tracks",
      description =
          "Loops the video for as long as the audio tracks last, played one after another, into"
              + " one H.264/AAC file; a task like any other, polled with GET /ffmpeg/status.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = MergeAudioVideoRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The task is registered and pending.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description =
          "The body does not fit the model (a list of errors: a missing field, an unknown key),"
              + " or it does not make a task that may run (a sentence per problem): audio_urls"
              + " empty or longer than a task's inputs allow, a URL with user info or whose host"
              + " resolves to a private, loopback or link-local address, an output file name"
              + " that is not a plain media file name.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {ValidationErrorResponse.class, ErrorResponse.class})))
  @ApiResponse(
      responseCode = "503",
      description = "The task could not be stored; try again later.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response mergeAudioVideo(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = IdempotencyKeys.DESCRIPTION) @HeaderParam(IdempotencyKeys.HEADER)
          String idempotencyKey,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential,
      @Parameter(hidden = true) InputStream body) {
    MergeAudioVideoRequest request =
        JsonBodies.read(MergeAudioVideoRequest.class, contentType, body);
    return registered(
        request.asTask(), idempotencyKey, credential, MergeAudioVideoRequest::inBodyTerms);
  }

  /**
   * Checks and creates the task {@code request} asks for; the register answer.
   *
   * @param wording puts each problem found in the words of the body the client sent
   */
  private Response registered(
      RegisterRequest request,
      String idempotencyKey,
      String credential,
      UnaryOperator<String> wording) {
    FfmpegTaskSpec spec =
        new FfmpegTaskSpec(request.command(), request.inputFiles(), request.outputFiles());
    List<String> problems = new ArrayList<>();
    try {
      TaskCommand.parse(
          new TaskCommand.Request(spec.getCommand(), spec.getInputs(), spec.getOutputs()),
          storage.bucket());
    } catch (InvalidTaskException e) {
      problems.addAll(e.problems());
    }
    problems.addAll(resources.problems(request.resources()));
    TaskParallel parallelAsked = request.taskParallel();
    if (parallelAsked != null) {
      problems.addAll(parallelProblems(parallelAsked, spec));
    }
    String webhookForm =
        request.webhookUrl() == null ? null : WebhookUrl.problem(request.webhookUrl());
    if (webhookForm != null) {
      problems.add(webhookForm);
    }
    if (!problems.isEmpty()) {
      // distinct: a command that cannot run cannot be split either, for the same reasons.
      throw ApiException.detail(
          422, String.join("; ", problems.stream().distinct().map(wording).toList()));
    }
    spec.setResources(ownResources(request.resources()));
    spec.setPriority(request.taskPriority());
    spec.setParallel(parallelAsked);
    // After the spec checks: they are cheap, while this asks DNS about every input host.
    List<String> refused = new ArrayList<>(InputAddresses.problems(spec.getInputs(), addresses));
    if (request.webhookUrl() != null) {
      String webhook = InputAddresses.webhookProblem(request.webhookUrl(), addresses);
      if (webhook != null) {
        refused.add(webhook);
      }
      spec.setWebhook(new TaskWebhook(request.webhookUrl()));
    }
    if (!refused.isEmpty()) {
      throw ApiException.detail(422, String.join("; ", refused.stream().map(wording).toList()));
    }
    String client = apiKeys.clientOf(credential);
    if (idempotencyKey == null) {
      return Responses.json(TaskResponse.pending(store.create(spec, client)));
    }
    return Responses.json(
        TaskResponse.pending(registerOnce(spec, request, idempotencyKey, credential, client)));
  }

  /** Why the task cannot run in parallel as asked: the segments, or a command that cannot split. */
  private List<String> parallelProblems(TaskParallel asked, FfmpegTaskSpec spec) {
    List<String> problems =
        new ArrayList<>(parallel.problems(asked.getSegments(), asked.getSegmentSeconds()));
    try {
      SplitCommand.parse(
          new TaskCommand.Request(spec.getCommand(), spec.getInputs(), spec.getOutputs()));
    } catch (InvalidTaskException e) {
      problems.addAll(e.problems());
    }
    return problems;
  }

  /**
   * The id of the task made for this key: made now, or the one an earlier request with the key made
   * within {@link IdempotencyKeys#WINDOW}.
   *
   * @throws ApiException 422 when that earlier request was a different one
   */
  private String registerOnce(
      FfmpegTaskSpec spec, RegisterRequest request, String key, String credential, String client) {
    String keyHash = IdempotencyKeys.keyHash(key, credential);
    String requestHash = IdempotencyKeys.requestHash(request);
    Map<String, String> annotations =
        Map.of(
            IdempotencyKeys.KEY_ANNOTATION,
            keyHash,
            IdempotencyKeys.REQUEST_ANNOTATION,
            requestHash);
    String taskId = taskIdFor(keyHash);
    if (store.createNamed(taskId, spec, annotations, client)) {
      return taskId;
    }
    Instant now = Instant.now();
    Optional<FfmpegTask> first =
        store.find(taskId).filter(task -> IdempotencyKeys.holds(TaskStore.createdAt(task), now));
    if (first.isEmpty()) {
      // The key's own task is older than the window (or was deleted): the key starts afresh,
      // on a task of a random id that later requests with the key find by its annotation.
      first =
          store.newestAnnotated(
              IdempotencyKeys.KEY_ANNOTATION, keyHash, now.minus(IdempotencyKeys.WINDOW));
    }
    if (first.isEmpty()) {
      return store.create(spec, annotations, client);
    }
    Map<String, String> seen = first.get().getMetadata().getAnnotations();
    if (seen == null || !requestHash.equals(seen.get(IdempotencyKeys.REQUEST_ANNOTATION))) {
      throw IdempotencyKeys.reused("task " + first.get().getMetadata().getName());
    }
    return first.get().getMetadata().getName();
  }

  /** The task id a key names: a UUID made from its hash, so it looks like any other task id. */
  private static String taskIdFor(String keyHash) {
    return UUID.nameUUIDFromBytes(("idempotency-key " + keyHash).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The task's own resources; null when it asks for none, as seed clients never do. */
  private static TaskResources ownResources(Map<String, Map<String, String>> asked) {
    if (asked == null || asked.values().stream().allMatch(Map::isEmpty)) {
      return null;
    }
    return new TaskResources(asked.get(ResourcePolicy.REQUESTS), asked.get(ResourcePolicy.LIMITS));
  }

  @GET
  @Path("ffmpeg/status/{task_id}")
  @Operation(
      summary = "Get Task Status",
      description =
          "The task's state; once completed, a pre-signed download link (7 days) per output.")
  @ApiResponse(
      responseCode = "200",
      description = "The task's current state.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No task has this id, or it is another client's.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response status(
      @Parameter(description = "The task id returned by register") @PathParam("task_id")
          String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential) {
    return store
        .findOwned(taskId, apiKeys.clientOf(credential))
        .map(task -> Responses.json(TaskResponse.of(task, links::get)))
        .orElseThrow(TaskStore::notFound);
  }

  @POST
  @Path("ffmpeg/cancel/{task_id}")
  @Operation(
      summary = "Cancel Task",
      description =
          "Asks for the task to be cancelled (an addition to the seed API; on the resource it is"
              + " spec.cancel: true). A pending task never starts; a running one has its pod and"
              + " ffmpeg stopped within seconds and any output already stored removed. The answer"
              + " is the task as it is when the cancel is recorded, usually still pending or"
              + " running; once the operator has acted, status answers failed with an"
              + " error_message that starts with 'cancelled'.")
  @ApiResponse(
      responseCode = "202",
      description = "The cancel is recorded; the task as it is now.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No task has this id, or it is another client's.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The task has finished (completed, failed or cancelled) or is being cancelled.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response cancel(
      @Parameter(description = "The task id returned by register") @PathParam("task_id")
          String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential) {
    FfmpegTask task =
        store.findOwned(taskId, apiKeys.clientOf(credential)).orElseThrow(TaskStore::notFound);
    TaskState state = task.getStatus() == null ? null : task.getStatus().getState();
    if (state != null && state.isFinished()) {
      throw ApiException.detail(
          409,
          "Task has already finished ("
              + state.name().toLowerCase(Locale.ROOT)
              + "); only a pending or running task can be cancelled");
    }
    if (task.getSpec() != null && task.getSpec().cancelRequested()) {
      throw ApiException.detail(409, "Task is already being cancelled");
    }
    FfmpegTask asked = store.requestCancel(taskId).orElseThrow(TaskStore::notFound);
    return Responses.json(202, TaskResponse.of(asked, links::get));
  }

  @DELETE
  @Path("ffmpeg/tasks/{task_id}")
  @Operation(
      summary = "Delete Task",
      description =
          "Removes the task, its Job and its output objects (an addition to the seed API): a"
              + " running task is stopped first, and the pre-signed links handed out for it stop"
              + " working. Answers once the task is gone.")
  @ApiResponse(responseCode = "204", description = "The task and its outputs are gone.")
  @ApiResponse(
      responseCode = "202",
      description =
          "The deletion is under way but the task's pod had not stopped within the wait (or the"
              + " operator is not running); the task goes once it has.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No task has this id, or it is another client's.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response delete(
      @Parameter(description = "The task id returned by register") @PathParam("task_id")
          String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential) {
    store.findOwned(taskId, apiKeys.clientOf(credential)).orElseThrow(TaskStore::notFound);
    if (store.delete(taskId, DELETE_WAIT)) {
      return Response.noContent().build();
    }
    return Responses.json(
        202, new ErrorResponse("The task is being deleted; its pod has not stopped yet"));
  }
}
