package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.JsonBody;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/execute}. */
@Schema(name = "ExecuteRequest", requiredProperties = "request_code")
public record ExecuteRequest(
    @JsonProperty("request_code") @Schema(description = "Whose held jobs to run.", example = "user")
        String requestCode) {

  /** Reads the body, with FastAPI's 422 for a missing or mistyped field. */
  static ExecuteRequest from(JsonBody body) {
    String code = body.string("request_code", true);
    body.check();
    return new ExecuteRequest(code);
  }
}
