package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What to run: the arguments of one ffmpeg call and where its inputs and outputs are. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class FfmpegTaskSpec {

  @Required
  @JsonPropertyDescription(
      "FFmpeg arguments without the leading 'ffmpeg'. Inputs and outputs are named by their"
          + " placeholders, either bare (in_1) or braced ({{in_1}}), always as whole arguments.")
  private String command;

  @JsonPropertyDescription(
      "Input placeholder name -> URL to fetch (http, https, or s3://<bucket>/<key> in the"
          + " platform's bucket).")
  private Map<String, String> inputs = new LinkedHashMap<>();

  @Required
  @JsonPropertyDescription(
      "Output placeholder name -> file name; each file is stored as"
          + " ffmpeg-outputs/<task>/<file name> in S3.")
  private Map<String, String> outputs = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Named concat lists: name -> input placeholders, in order. The worker writes each as an"
          + " ffconcat file of those inputs, read with '-f concat -i <name>', to join inputs without"
          + " re-encoding.")
  private Map<String, List<String>> concatLists = new LinkedHashMap<>();

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds the whole run (download, ffmpeg, upload) may take before it fails; the operator's"
          + " default when unset.")
  private Long timeoutSeconds;

  @Min(0)
  @JsonPropertyDescription(
      "Seconds a finished task (completed, failed or cancelled) is kept before it and its outputs"
          + " are deleted; the operator's TASK_TTL_SECONDS (7 days, as long as its links live)"
          + " when unset.")
  private Long ttlSecondsAfterFinished;

  @JsonPropertyDescription(
      "CPU and memory of this task's worker container (requests and limits of cpu and memory, as"
          + " in a container's resources), up to the operator's maximum; the operator's defaults"
          + " when unset. A task that sets them always gets a Job of its own, never a warm"
          + " worker, whose size is the default one.")
  private TaskResources resources;

  @JsonPropertyDescription(
      "Set to true to cancel the task: one not started never starts, a running one has its pod"
          + " stopped and any output already stored removed, and the state becomes Cancelled. A"
          + " finished task stays as it is.")
  private Boolean cancel;

  @JsonPropertyDescription(
      "Where to POST the task's final status when it completes, fails or is cancelled; none when"
          + " unset.")
  private TaskWebhook webhook;

  @JsonPropertyDescription(
      "When the task's client has its limit of tasks running, its waiting tasks start High"
          + " first, then Normal (the default), then Low, and by submit time within one priority.")
  private TaskPriority priority;

  @JsonPropertyDescription(
      "Encode the video in segments, each by a pod of its own, then join them: {segments: N} or"
          + " {segmentSeconds: S}. Only for one input and one output whose command can be split"
          + " (frame-by-frame video filters, codec and rate options); the task's work is done by"
          + " child FfmpegTasks it owns. Unset: one pod runs the whole command.")
  private TaskParallel parallel;

  public FfmpegTaskSpec() {}

  public FfmpegTaskSpec(String command, Map<String, String> inputs, Map<String, String> outputs) {
    this.command = command;
    this.inputs = inputs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(inputs);
    this.outputs = outputs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(outputs);
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String command) {
    this.command = command;
  }

  public Map<String, String> getInputs() {
    return inputs;
  }

  public void setInputs(Map<String, String> inputs) {
    this.inputs = inputs;
  }

  public Map<String, String> getOutputs() {
    return outputs;
  }

  public void setOutputs(Map<String, String> outputs) {
    this.outputs = outputs;
  }

  public Map<String, List<String>> getConcatLists() {
    return concatLists;
  }

  public void setConcatLists(Map<String, List<String>> concatLists) {
    this.concatLists = concatLists;
  }

  public Long getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Long timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Long getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Long ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public TaskResources getResources() {
    return resources;
  }

  public void setResources(TaskResources resources) {
    this.resources = resources;
  }

  public Boolean getCancel() {
    return cancel;
  }

  public void setCancel(Boolean cancel) {
    this.cancel = cancel;
  }

  /** Whether someone asked for the task to be cancelled. */
  public boolean cancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }

  public TaskPriority getPriority() {
    return priority;
  }

  public void setPriority(TaskPriority priority) {
    this.priority = priority;
  }

  public TaskWebhook getWebhook() {
    return webhook;
  }

  public void setWebhook(TaskWebhook webhook) {
    this.webhook = webhook;
  }

  public TaskParallel getParallel() {
    return parallel;
  }

  public void setParallel(TaskParallel parallel) {
    this.parallel = parallel;
  }
}
