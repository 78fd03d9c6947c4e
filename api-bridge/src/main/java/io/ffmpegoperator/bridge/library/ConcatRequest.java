package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.JsonBody;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Body of {@code POST /video/process/concat}. */
@Schema(
    name = "ConcatRequest",
    requiredProperties = {"request_code", "video_ids"})
public record ConcatRequest(
    @JsonProperty("request_code") @Schema(example = "user") String requestCode,
    @JsonProperty("video_ids")
        @ArraySchema(
            arraySchema =
                @Schema(description = "At least two ids, joined in this order; may repeat."),
            schema = @Schema(type = "integer", example = "13"))
        List<Long> videoIds) {

  /** Reads the body, with FastAPI's 422 for missing or mistyped fields. */
  static ConcatRequest from(JsonBody body) {
    String code = body.string("request_code", true);
    List<Long> ids = body.integers("video_ids", true);
    body.check();
    return new ConcatRequest(code, List.copyOf(ids));
  }
}
