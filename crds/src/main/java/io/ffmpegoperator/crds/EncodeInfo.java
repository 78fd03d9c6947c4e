package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an encode produced: codecs, frame size and rate. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class EncodeInfo {
  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("FFmpeg video encoder, e.g. libx264.")
  private String videoCodec;

  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("FFmpeg audio encoder, e.g. aac.")
  private String audioCodec;

  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("Frame size as W:H, e.g. 1920:1080.")
  private String resolution;

  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("Frames per second.")
  private Integer frameRate;

  public String getVideoCodec() {
    return videoCodec;
  }

  public void setVideoCodec(String videoCodec) {
    this.videoCodec = videoCodec;
  }

  public String getAudioCodec() {
    return audioCodec;
  }

  public void setAudioCodec(String audioCodec) {
    this.audioCodec = audioCodec;
  }

  public String getResolution() {
    return resolution;
  }

  public void setResolution(String resolution) {
    this.resolution = resolution;
  }

  public Integer getFrameRate() {
    return frameRate;
  }

  public void setFrameRate(Integer frameRate) {
    this.frameRate = frameRate;
  }
}
