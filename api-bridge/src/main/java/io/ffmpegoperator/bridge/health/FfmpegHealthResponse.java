package io.ffmpegoperator.bridge.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code GET /ffmpeg/health}. */
@JsonPropertyOrder({"status", "ffmpeg_installed"})
@Schema(
    name = "FfmpegHealthResponse",
    requiredProperties = {"status", "ffmpeg_installed"})
public record FfmpegHealthResponse(
    @Schema(example = "ok") String status,
    @JsonProperty("ffmpeg_installed") @Schema(allowableValues = {"yes", "no"})
        String ffmpegInstalled) {}
