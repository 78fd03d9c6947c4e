package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** A bare {@code {"message": ...}} answer. */
@Schema(name = "Message", requiredProperties = "message")
public record MessageResponse(
    @JsonProperty("message")
        @Schema(example = "All pending jobs for request_code user executed successfully")
        String message) {}
