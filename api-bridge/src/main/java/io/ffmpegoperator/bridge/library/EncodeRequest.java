package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.JsonBody;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/encoding}. */
@Schema(
    name = "EncodeRequest",
    requiredProperties = {"request_code", "video_id"})
public record EncodeRequest(
    @JsonProperty("request_code") @Schema(example = "user") String requestCode,
    @JsonProperty("video_id") @Schema(example = "14") long videoId,
    @JsonProperty("video_codec")
        @Schema(description = "An ffmpeg video encoder.", defaultValue = DEFAULT_VIDEO_CODEC)
        String videoCodec,
    @JsonProperty("audio_codec")
        @Schema(description = "An ffmpeg audio encoder.", defaultValue = DEFAULT_AUDIO_CODEC)
        String audioCodec,
    @JsonProperty("resolution")
        @Schema(
            description = "W:H, positive even numbers, at most 7680x4320.",
            defaultValue = DEFAULT_RESOLUTION)
        String resolution,
    @JsonProperty("frame_rate")
        @Schema(description = "1 to 120 frames per second.", defaultValue = "30")
        long frameRate) {
  static final String DEFAULT_VIDEO_CODEC = "libx264";
  static final String DEFAULT_AUDIO_CODEC = "aac";
  static final String DEFAULT_RESOLUTION = "1920:1080";
  static final long DEFAULT_FRAME_RATE = 30;

  /** Reads the body, with FastAPI's 422 for missing or mistyped fields; fills in defaults. */
  static EncodeRequest from(JsonBody body) {
    String code = body.string("request_code", true);
    Long videoId = body.integer("video_id", true);
    String videoCodec = body.string("video_codec", false);
    String audioCodec = body.string("audio_codec", false);
    String resolution = body.string("resolution", false);
    Long frameRate = body.integer("frame_rate", false);
    body.check();
    return new EncodeRequest(
        code,
        videoId,
        videoCodec == null ? DEFAULT_VIDEO_CODEC : videoCodec,
        audioCodec == null ? DEFAULT_AUDIO_CODEC : audioCodec,
        resolution == null ? DEFAULT_RESOLUTION : resolution,
        frameRate == null ? DEFAULT_FRAME_RATE : frameRate);
  }
}
