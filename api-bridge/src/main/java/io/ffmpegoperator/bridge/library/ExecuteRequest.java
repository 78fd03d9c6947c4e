package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /video/process/execute}. */
@Schema(name = "ExecuteRequest")
public record ExecuteRequest(
    @JsonProperty(value = "request_code", required = true)
        @Schema(description = "Whose held jobs to run.", example = "user")
        String requestCode) {}
