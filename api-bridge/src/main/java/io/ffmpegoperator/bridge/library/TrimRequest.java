package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.NumberAsText;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/trim}. */
@Schema(name = "TrimRequest")
public record TrimRequest(
    @JsonProperty(value = "request_code", required = true)
        @Schema(description = "Groups jobs; execute runs them.", example = "user")
        String requestCode,
    @JsonProperty(value = "video_id", required = true) @Schema(example = "13") long videoId,
    @JsonProperty(value = "trim_start", required = true)
        @NumberAsText
        @Schema(
            description =
                "Start: milliseconds (\"1500\"), seconds or milliseconds with a unit (\"1.5s\","
                    + " \"250ms\"), or HH:MM:SS[.fff] / MM:SS[.fff].",
            example = "0")
        String trimStart,
    @JsonProperty(value = "trim_end", required = true)
        @NumberAsText
        @Schema(description = "End, as trim_start.", example = "5000")
        String trimEnd,
    @JsonProperty("mode")
        @Schema(
            description =
                "accurate: re-encoded, frame-exact; fast: stream copy from the keyframe before.",
            allowableValues = {"accurate", "fast"},
            defaultValue = "accurate")
        String mode) {}
