package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an encode produced: codecs (as asked and the encoders that ran), frame size and rate. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class EncodeInfo {
  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription(
      "Video codec or FFmpeg video encoder as asked, e.g. h264 or libx264; shown in encode_info.")
  private String videoCodec;

  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("Audio codec or FFmpeg audio encoder as asked, e.g. aac.")
  private String audioCodec;

  @JsonPropertyDescription(
      "The FFmpeg encoder that runs, e.g. libx264 for h264; when absent, videoCodec is run as is.")
  private String videoEncoder;

  @JsonPropertyDescription(
      "The FFmpeg encoder that runs, e.g. aac; when absent, audioCodec is run as is.")
  private String audioEncoder;

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

  public String getVideoEncoder() {
    return videoEncoder;
  }

  public void setVideoEncoder(String videoEncoder) {
    this.videoEncoder = videoEncoder;
  }

  public String getAudioEncoder() {
    return audioEncoder;
  }

  public void setAudioEncoder(String audioEncoder) {
    this.audioEncoder = audioEncoder;
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
