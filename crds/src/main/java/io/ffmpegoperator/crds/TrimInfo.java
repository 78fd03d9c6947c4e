package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Which part of a video a trim keeps, in milliseconds, and how it was cut. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrimInfo {
  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("Start of the kept part, in milliseconds from the beginning.")
  private Long trimStart;

  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("End of the kept part, in milliseconds from the beginning.")
  private Long trimEnd;

  @JsonPropertyDescription(
      "Accurate (re-encoded, frame-exact) or Fast (stream copy from the nearest keyframe).")
  private TrimMode mode;

  public Long getTrimStart() {
    return trimStart;
  }

  public void setTrimStart(Long trimStart) {
    this.trimStart = trimStart;
  }

  public Long getTrimEnd() {
    return trimEnd;
  }

  public void setTrimEnd(Long trimEnd) {
    this.trimEnd = trimEnd;
  }

  public TrimMode getMode() {
    return mode;
  }

  public void setMode(TrimMode mode) {
    this.mode = mode;
  }
}
