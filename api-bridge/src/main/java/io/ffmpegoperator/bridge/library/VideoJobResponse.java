package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;

/** A queued job as {@code GET /video/jobs} shows it; every key is always present. */
@JsonPropertyOrder({
  "job_id",
  "request_code",
  "operation",
  "video_ids",
  "state",
  "progress",
  "output_video_id",
  "error"
})
@Schema(
    name = "VideoJob",
    requiredProperties = {
      "job_id",
      "request_code",
      "operation",
      "video_ids",
      "state",
      "progress",
      "output_video_id",
      "error"
    })
public record VideoJobResponse(
    @JsonProperty("job_id") @Schema(example = "3") long jobId,
    @JsonProperty("request_code") @Schema(example = "user") String requestCode,
    @JsonProperty("operation") @Schema(allowableValues = {"trim", "concat", "encode"})
        String operation,
    @JsonProperty("video_ids") List<Long> videoIds,
    @JsonProperty("state")
        @Schema(allowableValues = {"held", "pending", "running", "succeeded", "failed"})
        String state,
    @JsonProperty("progress") @Schema(description = "Percent done.", example = "100") int progress,
    @JsonProperty("output_video_id")
        @Schema(nullable = true, description = "Id of the produced video, once succeeded.")
        Long outputVideoId,
    @JsonProperty("error") @Schema(nullable = true, description = "Why the job failed.")
        String error) {

  /** The job's current state as the API shows it. */
  static VideoJobResponse of(VideoJob job) {
    VideoJobSpec spec = job.getSpec();
    VideoJobStatus status = job.getStatus();
    VideoJobState state = stateOf(job);
    Integer progress = status == null ? null : status.getProgress();
    return new VideoJobResponse(
        spec.getJobId(),
        spec.getRequestCode(),
        spec.getOperation() == null ? null : spec.getOperation().name().toLowerCase(Locale.ROOT),
        spec.getVideoIds(),
        state.apiName(),
        state == VideoJobState.Succeeded ? 100 : progress == null ? 0 : progress,
        status == null ? null : status.getOutputVideoId(),
        state == VideoJobState.Failed ? status.getMessage() : null);
  }

  /** The status's state; before the operator has written one, what the release implies. */
  static VideoJobState stateOf(VideoJob job) {
    VideoJobStatus status = job.getStatus();
    if (status != null && status.getState() != null) {
      return status.getState();
    }
    return job.getSpec().getRelease() == JobRelease.Released
        ? VideoJobState.Pending
        : VideoJobState.Held;
  }
}
