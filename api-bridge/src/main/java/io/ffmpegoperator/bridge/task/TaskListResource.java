package io.ffmpegoperator.bridge.task;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.store.TaskStore;
import io.ffmpegoperator.bridge.store.UserLinks;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Reads over many tasks, all from the bridge's cache: the task list (an addition to the seed) and
 * the original service's queue size. With API keys on, a client lists only the tasks it made; the
 * queue size counts every client's, as the one queue the original had.
 */
@Singleton
@Path("/")
public final class TaskListResource {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  // The seed's four states; a state added to the resource shows as one of them.
  private static final List<String> STATUSES = List.of("pending", "running", "completed", "failed");

  private final TaskStore store;
  private final UserLinks links;
  private final ApiKeys apiKeys;

  @Inject
  public TaskListResource(TaskStore store, UserLinks links, ApiKeys apiKeys) {
    this.store = store;
    this.links = links;
    this.apiKeys = apiKeys;
  }

  @GET
  @Path("ffmpeg/tasks")
  @Operation(
      summary = "List Tasks",
      description =
          "Tasks newest first, a page at a time, each as Get Task Status shows it. Tasks created"
              + " while paging never make a task appear twice or go missing. With API keys on,"
              + " only the tasks made with the caller's client's keys.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of tasks and the cursor of the next one.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskListResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = "status, limit or cursor is not one this endpoint takes.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The bridge has not loaded the tasks yet; try again later.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response list(
      @Parameter(
              description = "Only tasks in this state",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"pending", "running", "completed", "failed"}))
          @QueryParam("status")
          String status,
      @Parameter(
              description = "Tasks per page, 1 to " + MAX_LIMIT,
              schema =
                  @Schema(type = "integer", defaultValue = "50", minimum = "1", maximum = "500"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "next_cursor of the previous page; none for the first page")
          @QueryParam("cursor")
          String cursor,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String credential) {
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.detail(
          422, "status must be one of " + String.join(", ", STATUSES) + ", not '" + status + "'");
    }
    int pageSize = limit(limit);
    String client = apiKeys.clientOf(credential);
    List<FfmpegTask> tasks =
        store.cached().stream()
            .filter(task -> TaskStore.ownedBy(task, client))
            .filter(task -> status == null || TaskResponse.state(task).apiName().equals(status))
            .toList();
    TaskPage page = TaskPage.of(tasks, cursor, pageSize);
    return Responses.json(
        new TaskListResponse(
            page.tasks().stream().map(task -> TaskResponse.of(task, links::get)).toList(),
            page.nextCursor()));
  }

  @GET
  @Path("ffmpeg/queue/size")
  @Operation(
      summary = "Get Queue Size",
      description = "How many tasks are pending, as the original service answered.")
  @ApiResponse(
      responseCode = "200",
      description = "The number of pending tasks.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = QueueSizeResponse.class)))
  public Response queueSize() {
    long pending =
        store.cached().stream()
            .filter(task -> !TaskStore.isChild(task))
            .filter(task -> TaskResponse.state(task) == TaskState.Pending)
            .count();
    return Responses.json(new QueueSizeResponse(pending));
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(raw.strip());
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Same answer as a number out of range.
    }
    throw ApiException.detail(
        422, "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + raw + "'");
  }
}
