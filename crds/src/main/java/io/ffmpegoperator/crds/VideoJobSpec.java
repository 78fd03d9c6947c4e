package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** What a queued job does; the bridge has checked it against the videos before creating it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class VideoJobSpec {
  @Required
  @JsonPropertyDescription("The video API's integer job id; unique and never reused.")
  private Long jobId;

  @Required
  @JsonPropertyDescription("The request code that groups jobs for execute.")
  private String requestCode;

  @Required
  @JsonPropertyDescription("Trim, Concat or Encode.")
  private VideoOperation operation;

  @Required
  @JsonPropertyDescription("Ids of the input videos: one for Trim and Encode, in order for Concat.")
  private List<Long> videoIds = new ArrayList<>();

  @JsonPropertyDescription("For Trim: the part to keep and how to cut.")
  private TrimInfo trim;

  @JsonPropertyDescription("For Encode: the codecs, frame size and rate to produce.")
  private EncodeInfo encode;

  @Required
  @JsonPropertyDescription("Held until execute is called for the request code, then Released.")
  private JobRelease release = JobRelease.Held;

  public Long getJobId() {
    return jobId;
  }

  public void setJobId(Long jobId) {
    this.jobId = jobId;
  }

  public String getRequestCode() {
    return requestCode;
  }

  public void setRequestCode(String requestCode) {
    this.requestCode = requestCode;
  }

  public VideoOperation getOperation() {
    return operation;
  }

  public void setOperation(VideoOperation operation) {
    this.operation = operation;
  }

  public List<Long> getVideoIds() {
    return videoIds;
  }

  public void setVideoIds(List<Long> videoIds) {
    this.videoIds = videoIds;
  }

  public TrimInfo getTrim() {
    return trim;
  }

  public void setTrim(TrimInfo trim) {
    this.trim = trim;
  }

  public EncodeInfo getEncode() {
    return encode;
  }

  public void setEncode(EncodeInfo encode) {
    this.encode = encode;
  }

  public JobRelease getRelease() {
    return release;
  }

  public void setRelease(JobRelease release) {
    this.release = release;
  }
}
