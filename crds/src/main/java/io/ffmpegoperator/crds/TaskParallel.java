package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How a task's video is cut for a parallel encode: into a number of segments or into segments of
 * about a number of seconds, exactly one of the two.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.segments) != has(self.segmentSeconds)",
    message = "set exactly one of segments and segmentSeconds")
public class TaskParallel {
  /**
   * The most segments the schema allows; the operator's PARALLEL_MAX_SEGMENTS (at most this) is the
   * bound that applies.
   */
  public static final int SCHEMA_MAX_SEGMENTS = 256;

  @Min(2)
  @Max(SCHEMA_MAX_SEGMENTS)
  @JsonPropertyDescription(
      "Number of video segments encoded at once, each by a pod of its own, cut on keyframes into"
          + " about equal frame counts; at most the operator's PARALLEL_MAX_SEGMENTS.")
  private Integer segments;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds of video per segment, cut on the keyframe nearest each multiple; the number of"
          + " segments this makes is held to the operator's PARALLEL_MAX_SEGMENTS.")
  private Long segmentSeconds;

  public TaskParallel() {}

  public TaskParallel(Integer segments, Long segmentSeconds) {
    this.segments = segments;
    this.segmentSeconds = segmentSeconds;
  }

  public static TaskParallel ofSegments(int segments) {
    return new TaskParallel(segments, null);
  }

  public static TaskParallel ofSeconds(long seconds) {
    return new TaskParallel(null, seconds);
  }

  public Integer getSegments() {
    return segments;
  }

  public void setSegments(Integer segments) {
    this.segments = segments;
  }

  public Long getSegmentSeconds() {
    return segmentSeconds;
  }

  public void setSegmentSeconds(Long segmentSeconds) {
    this.segmentSeconds = segmentSeconds;
  }
}
