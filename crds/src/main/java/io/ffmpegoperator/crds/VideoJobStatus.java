package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a VideoJob; written by the operator only. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class VideoJobStatus {
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Held, Pending, Running, Succeeded or Failed.")
  private VideoJobState state;

  @JsonPropertyDescription("Percent done, from the job's FfmpegTask.")
  private Integer progress;

  @JsonPropertyDescription("Name of the FfmpegTask that runs the job.")
  private String taskName;

  @JsonPropertyDescription("Id of the video the job produced, once it succeeded.")
  private Long outputVideoId;

  @JsonPropertyDescription("CamelCase reason of the last state change.")
  private String reason;

  @JsonPropertyDescription("Short explanation; for a failure, what failed and why.")
  private String message;

  @JsonPropertyDescription("When the job succeeded or failed (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Standard conditions; Succeeded summarises the job.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public VideoJobState getState() {
    return state;
  }

  public void setState(VideoJobState state) {
    this.state = state;
  }

  public Integer getProgress() {
    return progress;
  }

  public void setProgress(Integer progress) {
    this.progress = progress;
  }

  public String getTaskName() {
    return taskName;
  }

  public void setTaskName(String taskName) {
    this.taskName = taskName;
  }

  public Long getOutputVideoId() {
    return outputVideoId;
  }

  public void setOutputVideoId(Long outputVideoId) {
    this.outputVideoId = outputVideoId;
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

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
