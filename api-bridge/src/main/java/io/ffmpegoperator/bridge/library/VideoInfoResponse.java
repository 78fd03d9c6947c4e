package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

/** What {@code GET /video/view/info} tells about a video's streams. */
@JsonPropertyOrder({"video_streams", "audio_streams", "resolution", "frame_rate"})
@Schema(
    name = "VideoInfo",
    requiredProperties = {"video_streams", "audio_streams", "resolution", "frame_rate"})
public record VideoInfoResponse(
    @JsonProperty("video_streams") @Schema(description = "Video codec.", example = "hevc")
        String videoStreams,
    @JsonProperty("audio_streams")
        @Schema(nullable = true, description = "Audio codec; null without audio.", example = "aac")
        String audioStreams,
    @JsonProperty("resolution") @Schema(example = "1920:1080") String resolution,
    @JsonProperty("frame_rate") @Schema(description = "Rounded frames per second.", example = "30")
        Integer frameRate) {}
