package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.storage.StorageKeys;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A task as the seed API shows it; every key is always present, null when it does not apply. */
@JsonPropertyOrder({"task_id", "status", "output_urls", "error_message"})
@Schema(
    name = "TaskResponse",
    requiredProperties = {"task_id", "status", "output_urls", "error_message"})
public record TaskResponse(
    @JsonProperty("task_id") @Schema(example = "550e8400-e29b-41d4-a716-446655440000")
        String taskId,
    @JsonProperty("status") @Schema(allowableValues = {"pending", "running", "completed", "failed"})
        String status,
    @JsonProperty("output_urls")
        @Schema(
            nullable = true,
            description = "Output name -> pre-signed download link (7 days); only when completed.",
            additionalPropertiesSchema = String.class)
        Map<String, String> outputUrls,
    @JsonProperty("error_message")
        @Schema(
            nullable = true,
            description =
                "Why the task failed; only when failed. A cancelled task is failed with a message"
                    + " that starts with 'cancelled'.")
        String errorMessage) {

  /** The answer to a registration: the task exists and nothing has happened yet. */
  static TaskResponse pending(String taskId) {
    return new TaskResponse(taskId, TaskState.Pending.apiName(), null, null);
  }

  /**
   * The task's current state as the seed API shows it.
   *
   * @param presign turns an S3 key into a link users can download from
   */
  static TaskResponse of(FfmpegTask task, UnaryOperator<String> presign) {
    String taskId = task.getMetadata().getName();
    FfmpegTaskStatus status = task.getStatus();
    TaskState state = state(task);
    Map<String, String> urls = null;
    String error = null;
    if (state == TaskState.Completed) {
      urls = outputUrls(task, status.getOutputs(), presign);
    } else if (state == TaskState.Failed || state == TaskState.Cancelled) {
      error = status.getMessage();
    }
    return new TaskResponse(taskId, state.apiName(), urls, error);
  }

  /** The task's state; one the operator has not looked at yet is pending. */
  static TaskState state(FfmpegTask task) {
    FfmpegTaskStatus status = task.getStatus();
    return status == null || status.getState() == null ? TaskState.Pending : status.getState();
  }

  // The seed lists outputs by the names the user gave, so follow the spec's order, then any extra.
  private static Map<String, String> outputUrls(
      FfmpegTask task, List<StoredOutput> stored, UnaryOperator<String> presign) {
    Map<String, StoredOutput> byName = new LinkedHashMap<>();
    if (stored != null) {
      stored.forEach(output -> byName.put(output.getName(), output));
    }
    Map<String, String> fileNames =
        task.getSpec() == null || task.getSpec().getOutputs() == null
            ? Map.of()
            : task.getSpec().getOutputs();
    Map<String, String> urls = new LinkedHashMap<>();
    fileNames.keySet().stream()
        .filter(byName::containsKey)
        .forEach(name -> urls.put(name, link(task, byName.get(name), fileNames, presign)));
    byName.forEach(
        (name, output) -> {
          if (!urls.containsKey(name)) {
            urls.put(name, link(task, output, fileNames, presign));
          }
        });
    return urls;
  }

  private static String link(
      FfmpegTask task,
      StoredOutput output,
      Map<String, String> fileNames,
      UnaryOperator<String> presign) {
    String key = output.getKey();
    if (key == null) {
      // Older statuses may lack the key; it is fully determined by the task and file name.
      key = StorageKeys.taskOutput(task.getMetadata().getName(), fileNames.get(output.getName()));
    }
    return presign.apply(key);
  }
}
