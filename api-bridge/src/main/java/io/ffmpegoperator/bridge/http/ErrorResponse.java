package io.ffmpegoperator.bridge.http;

import io.swagger.v3.oas.annotations.media.Schema;

/** An error as FastAPI sends it: {@code {"detail": "..."}}. */
@Schema(name = "HTTPError", requiredProperties = "detail")
public record ErrorResponse(@Schema(example = "Task not found") String detail) {}
