package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a task; written by the operator only. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class FfmpegTaskStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Running, Completed, Failed or Cancelled.")
  private TaskState state;

  @JsonPropertyDescription("Percent of the ffmpeg run done, 0-100.")
  private Integer progress;

  @JsonPropertyDescription(
      "Standard conditions; Succeeded summarises the task (Unknown while it runs).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Name of the batch/v1 Job that runs the task.")
  private String jobName;

  @JsonPropertyDescription("Output files stored in S3, once the task has completed.")
  private List<StoredOutput> outputs = new ArrayList<>();

  @JsonPropertyDescription("When the Job's pod started running (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the task completed or failed (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("CamelCase reason of the last state change, e.g. FfmpegFailed.")
  private String reason;

  @JsonPropertyDescription("Short human-readable explanation; for a failure, what failed and why.")
  private String message;

  @JsonPropertyDescription(
      "Delivery of the task's webhook, once the task has ended and spec.webhook is set.")
  private WebhookDelivery webhook;

  @JsonPropertyDescription("A parallel task's phases, segments and child tasks; unset for others.")
  private ParallelStatus parallel;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public TaskState getState() {
    return state;
  }

  public void setState(TaskState state) {
    this.state = state;
  }

  public Integer getProgress() {
    return progress;
  }

  public void setProgress(Integer progress) {
    this.progress = progress;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public List<StoredOutput> getOutputs() {
    return outputs;
  }

  public void setOutputs(List<StoredOutput> outputs) {
    this.outputs = outputs;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public WebhookDelivery getWebhook() {
    return webhook;
  }

  public void setWebhook(WebhookDelivery webhook) {
    this.webhook = webhook;
  }

  public ParallelStatus getParallel() {
    return parallel;
  }

  public void setParallel(ParallelStatus parallel) {
    this.parallel = parallel;
  }
}
