package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/encoding}. */
@Schema(name = "EncodeRequest")
public record EncodeRequest(
    @JsonProperty(value = "request_code", required = true) @Schema(example = "user")
        String requestCode,
    @JsonProperty(value = "video_id", required = true) @Schema(example = "14") long videoId,
    @JsonProperty("video_codec")
        @Schema(
            description =
                "An ffmpeg video encoder (libx264) or codec (h264, run by its usual encoder).",
            defaultValue = DEFAULT_VIDEO_CODEC)
        String videoCodec,
    @JsonProperty("audio_codec")
        @Schema(
            description =
                "An ffmpeg audio encoder (libopus) or codec (opus, run by its usual encoder).",
            defaultValue = DEFAULT_AUDIO_CODEC)
        String audioCodec,
    @JsonProperty("resolution")
        @Schema(
            description = "W:H, positive even numbers, at most 7680x4320.",
            defaultValue = DEFAULT_RESOLUTION)
        String resolution,
    @JsonProperty("frame_rate")
        @Schema(description = "1 to 120 frames per second.", defaultValue = "30")
        Long frameRate) {
  static final String DEFAULT_VIDEO_CODEC = "libx264";
  static final String DEFAULT_AUDIO_CODEC = "aac";
  static final String DEFAULT_RESOLUTION = "1920:1080";
  static final long DEFAULT_FRAME_RATE = 30;

  /** Fills in the seed's defaults for what the client left out. */
  public EncodeRequest {
    videoCodec = videoCodec == null ? DEFAULT_VIDEO_CODEC : videoCodec;
    audioCodec = audioCodec == null ? DEFAULT_AUDIO_CODEC : audioCodec;
    resolution = resolution == null ? DEFAULT_RESOLUTION : resolution;
    frameRate = frameRate == null ? DEFAULT_FRAME_RATE : frameRate;
  }
}
