package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Body of {@code POST /video/process/concat}. */
@Schema(name = "ConcatRequest")
public record ConcatRequest(
    @JsonProperty(value = "request_code", required = true) @Schema(example = "user")
        String requestCode,
    @JsonProperty(value = "video_ids", required = true)
        @ArraySchema(
            arraySchema =
                @Schema(description = "At least two ids, joined in this order; may repeat."),
            schema = @Schema(type = "integer", example = "13"))
        List<Long> videoIds) {

  public ConcatRequest {
    videoIds = List.copyOf(videoIds);
  }
}
