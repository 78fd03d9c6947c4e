package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.JsonBody;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/trim}. */
@Schema(
    name = "TrimRequest",
    requiredProperties = {"request_code", "video_id", "trim_start", "trim_end"})
public record TrimRequest(
    @JsonProperty("request_code")
        @Schema(description = "Groups jobs; execute runs them.", example = "user")
        String requestCode,
    @JsonProperty("video_id") @Schema(example = "13") long videoId,
    @JsonProperty("trim_start")
        @Schema(
            description =
                "Start: milliseconds (\"1500\"), seconds or milliseconds with a unit (\"1.5s\","
                    + " \"250ms\"), or HH:MM:SS[.fff] / MM:SS[.fff].",
            example = "0")
        String trimStart,
    @JsonProperty("trim_end") @Schema(description = "End, as trim_start.", example = "5000")
        String trimEnd,
    @JsonProperty("mode")
        @Schema(
            description =
                "accurate: re-encoded, frame-exact; fast: stream copy from the keyframe before.",
            allowableValues = {"accurate", "fast"},
            defaultValue = "accurate")
        String mode) {

  /** Reads the body, with FastAPI's 422 for missing or mistyped fields. */
  static TrimRequest from(JsonBody body) {
    String code = body.string("request_code", true);
    Long videoId = body.integer("video_id", true);
    String start = body.stringOrNumber("trim_start", true);
    String end = body.stringOrNumber("trim_end", true);
    String mode = body.string("mode", false);
    body.check();
    return new TrimRequest(code, videoId, start, end, mode);
  }
}
